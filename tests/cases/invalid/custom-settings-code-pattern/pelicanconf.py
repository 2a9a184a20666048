POWERLIST_CODE_PATTERN = r'^(?P<letters>[A-Z]{2})(?P<main>\d{4})$'
