"""An item with every text at its limit (500 characters in one-line fields, 32,767 in texts) citing article 9999,
paragraph 99, item 99 of a law that lists 9,999 articles."""
import os

data = os.environ["DATA"]
line = "名" * 500
text = ("说明文字，" * 6554)[:32767]
with open(os.path.join(data, "laws", "dafa.yaml"), "w", encoding="utf-8") as f:
    f.write(f"id: dafa\ntitle: {'法' * 500}\nlevel: 法律\nissuer: {line}\nstatus: 现行有效\narticles:\n")
    for n in range(1, 10000):
        f.write(f"  {n}: 第{n}条的条文\n")
with open(os.path.join(data, "items", "370700-zjj", "370700-XK-00009.yaml"), "w", encoding="utf-8") as f:
    f.write(f"""code: 370700-XK-00009
name: {line}
category: 行政许可
department: 370700-zjj
status: 保留
basis:
  - law: dafa
    article: 9999
    paragraph: 99
    item: 99
    note: {text}
office: {line}
summary: {text}
time_limit:
  statutory: {line}
  promised: {line}
fee:
  charged: true
  items:
    - name: {line}
      standard: {text}
flow:
  - id: accept
    name: {line}
    actor: {line}
    time_limit: {line}
    next:
      - {{to: end, when: {line}}}
  - id: end
    name: {line}
    next: []
responsibilities:
  - stage: {line}
    duty: {text}
accountability:
  - situation: {text}
risks:
  - stage: {line}
    risk: {text}
    level: 高
    measure: {text}
contact:
  consult: {line}
  supervise: {line}
remarks: {text}
""")
