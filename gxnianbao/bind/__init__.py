"""Stage 3, binding: the cells of a table region to the template's rows and columns by label."""
