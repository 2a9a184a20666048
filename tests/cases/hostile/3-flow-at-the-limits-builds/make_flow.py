"""Write items/370700-zjj/370700-XK-00009.yaml with a flow of N steps; each step branches to every other step
or to at most K others, with at most 120 branches in all (the limits). Usage: make_flow.py N K"""
import os
import sys

n, k = int(sys.argv[1]), int(sys.argv[2])
lines = ["code: 370700-XK-00009", "name: 巨型流程", "category: 行政许可", "department: 370700-zjj", "status: 保留",
         "basis:", "  - law: jianzhufa", "    article: 7", "flow:"]
edges = 0
for i in range(n):
    lines += [f"  - id: s{i}", f"    name: 步骤{i}（办理环节的名称写得比较长以便换行）"]
    if i == n - 1:
        lines.append("    next: []")
        continue
    # forward to the next steps, back to the first ones: every kind of edge the layout handles
    targets = [j for j in list(range(i + 1, n)) + list(range(i)) if j != i][:k]
    budget = 120 - edges - (n - 2 - i)       # keep room for one branch per later step
    targets = targets[:max(1, min(k, budget))]
    edges += len(targets)
    lines.append("    next:")
    lines += [f"      - {{to: s{j}, when: 条件{j}}}" for j in targets]
path = os.path.join(os.environ["DATA"], "items", "370700-zjj", "370700-XK-00009.yaml")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
