"""The ranges of database integer columns, for form and serializer fields that write to them.

A number past its column's range is a DataError (a 500) at save time; giving the field the same
`max_value` makes it a field-level error instead (docs/operations.md, "Limits on input").
"""

SMALLINT_MAX = 32_767  # PositiveSmallIntegerField / SmallIntegerField
INT_MAX = 2_147_483_647  # PositiveIntegerField / IntegerField
