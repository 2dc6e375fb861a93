"""Data scopes (数据权限) shared by the bundle's record rules.

A scope says which records of the customer data a user sees. Each role
(res.groups) has one, a user may have their own as an exception; the record
rules read the result through computed fields of res.users (res_users.py).
"""

# Broadest last: a user holding several roles gets the broadest scope.
DATA_SCOPES = [
    ("self", "Own records"),
    ("subordinates", "Own and subordinates' records"),
    ("department", "Own department"),
    ("department_tree", "Department and sub-departments"),
    ("all", "All records"),
]
SCOPE_RANK = {key: rank for rank, (key, _label) in enumerate(DATA_SCOPES)}
