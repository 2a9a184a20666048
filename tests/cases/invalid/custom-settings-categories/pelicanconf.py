POWERLIST_CATEGORIES = [('行政许可', 'XK'), ('行政处罚', 'CF'), ('行政监督', 'JD')]
