"""Site search: the CJK tokenizer shared with the browser, the sharded index, queries in Python, and the search
page's contribution to the site."""
