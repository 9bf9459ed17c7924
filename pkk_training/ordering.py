def move_in_order(ordered, item, direction):
    """Swap `item` with its neighbour "up" or "down" in `ordered` (a queryset of
    rows with a `position` field) and renumber 1, 2, 3…; a move past either end,
    or an unknown direction, changes nothing. Call inside a transaction."""
    rows = list(ordered.select_for_update())
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    ordered.model.objects.bulk_update(rows, ["position"])
