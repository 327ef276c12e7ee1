"""Suggestions' reasons from {"en": [...], "ja": [...]} texts to lists of Reason ids, and back.

Forwards pairs the two lists by position (a sentence missing on one side becomes ""), stores each
distinct (en, ja) once and writes the ids in order. Backwards gives each side its two lists again,
leaving out the empty sentences, so a row comes back as it was (the engine never writes an empty
sentence).

PostgreSQL does it with one INSERT and one UPDATE (400,000 suggestions: about 19 s each way, where
the portable path takes 3 minutes). Other databases (the SQLite demo) read and write the rows in
Python, by primary key ranges, never through an open cursor over the table being updated.
"""

from itertools import zip_longest

from django.db import migrations

BATCH = 500  # bulk_update writes one CASE per field: its cost grows with the square of the batch


def _paired(reasons):
    reasons = reasons or {}
    return list(zip_longest(reasons.get("en") or [], reasons.get("ja") or [], fillvalue=""))


def _batches(Suggestion):
    last = 0
    while True:
        batch = list(Suggestion.objects.filter(pk__gt=last).order_by("pk").only("id", "reasons_eu", "reasons_jp")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _rewrite(Suggestion, convert):
    for batch in _batches(Suggestion):
        for suggestion in batch:
            suggestion.reasons_eu = convert(suggestion.reasons_eu)
            suggestion.reasons_jp = convert(suggestion.reasons_jp)
        Suggestion.objects.bulk_update(batch, ["reasons_eu", "reasons_jp"])


def _elements(column, language):
    """SQL: the `language` list of a {"en": [...], "ja": [...]} column as a set-returning function."""
    value = f"{column}->'{language}'"
    return f"jsonb_array_elements_text(CASE WHEN jsonb_typeof({value}) = 'array' THEN {value} ELSE '[]' END)"


def _paired_sql(column):
    """SQL: the en and ja lists of a column side by side, padded with NULL, numbered from 1 (r.en, r.ja, r.n)."""
    return f"ROWS FROM ({_elements(column, 'en')}, {_elements(column, 'ja')}) WITH ORDINALITY AS r(en, ja, n)"


def _texts_to_ids_sql(cursor, reason, suggestion):
    sides = ("reasons_eu", "reasons_jp")
    found = " UNION ".join(f"SELECT coalesce(r.en, '') AS en, coalesce(r.ja, '') AS ja FROM {suggestion} s,"
                           f" {_paired_sql(f's.{side}')}" for side in sides)
    cursor.execute(f"INSERT INTO {reason} (en, ja) SELECT en, ja FROM ({found}) t ORDER BY en, ja ON CONFLICT DO NOTHING")
    # One scalar subquery per sentence: an index lookup. A join would be planned as a hash of the
    # whole reason table for every row (the function scan is guessed at 100 rows), 20 times slower.
    ids = {side: f"(SELECT coalesce(jsonb_agg((SELECT m.id FROM {reason} m WHERE m.en = coalesce(r.en, '')"
                 f" AND m.ja = coalesce(r.ja, '')) ORDER BY r.n), '[]') FROM {_paired_sql(f's.{side}')})"
           for side in sides}
    cursor.execute(f"UPDATE {suggestion} s SET {', '.join(f'{side} = {ids[side]}' for side in sides)}")


def _ids_to_texts_sql(cursor, reason, suggestion):
    # Each id looked up once (OFFSET 0 keeps the subquery from being copied into both aggregates).
    texts = {side: f"(SELECT jsonb_build_object("
                   f"'en', coalesce(jsonb_agg(t.p[1] ORDER BY t.n) FILTER (WHERE t.p[1] <> ''), '[]'),"
                   f" 'ja', coalesce(jsonb_agg(t.p[2] ORDER BY t.n) FILTER (WHERE t.p[2] <> ''), '[]'))"
                   f" FROM (SELECT r.n, (SELECT ARRAY[m.en, m.ja] FROM {reason} m WHERE m.id = r.id::bigint) AS p"
                   f" FROM jsonb_array_elements_text(s.{side}) WITH ORDINALITY AS r(id, n) OFFSET 0) t)"
             for side in ("reasons_eu", "reasons_jp")}
    cursor.execute(f"UPDATE {suggestion} s SET {', '.join(f'{side} = {sql}' for side, sql in texts.items())}")


def texts_to_ids(apps, schema_editor):
    Reason = apps.get_model("matchmaking", "Reason")
    Suggestion = apps.get_model("matchmaking", "Suggestion")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _texts_to_ids_sql(cursor, Reason._meta.db_table, Suggestion._meta.db_table)
        return
    texts = set()
    for batch in _batches(Suggestion):
        for suggestion in batch:
            texts.update(_paired(suggestion.reasons_eu))
            texts.update(_paired(suggestion.reasons_jp))
    Reason.objects.bulk_create([Reason(en=en, ja=ja) for en, ja in sorted(texts)], batch_size=BATCH,
                               ignore_conflicts=True)
    ids = {(en, ja): pk for pk, en, ja in Reason.objects.values_list("id", "en", "ja")}
    _rewrite(Suggestion, lambda reasons: [ids[text] for text in _paired(reasons)])


def ids_to_texts(apps, schema_editor):
    Reason = apps.get_model("matchmaking", "Reason")
    Suggestion = apps.get_model("matchmaking", "Suggestion")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _ids_to_texts_sql(cursor, Reason._meta.db_table, Suggestion._meta.db_table)
        return
    texts = {pk: (en, ja) for pk, en, ja in Reason.objects.values_list("id", "en", "ja")}

    def convert(ids):
        found = [texts[pk] for pk in ids or []]
        return {"en": [en for en, _ja in found if en], "ja": [ja for _en, ja in found if ja]}

    _rewrite(Suggestion, convert)


class Migration(migrations.Migration):

    dependencies = [
        ('matchmaking', '0004_suggestion_fewer_indexes'),
    ]

    operations = [
        migrations.RunPython(texts_to_ids, ids_to_texts),
    ]
