"""``--fix`` and ``--diff``: fixes that rules attach to their findings, made in the text of each file.

``edits`` is the vocabulary rules use (data, no behaviour); ``apply`` turns edits into text changes
at the positions the loader recorded; ``session`` fixes the files of a run, checks each result (it
parses, keeps every comment, and lints with the fixed findings gone and no new ones) and writes it
safely (``write``); ``sarif`` gives the same changes as SARIF ``fixes``.

Why text splices and not a ruamel.yaml round-trip dump: dumping rewrites lines no fix touched (line
width, spacing in flow collections, indentation of sequences, quoting), so most real files would change
all over. ruamel.yaml's round-trip scanner serves where it is exact: finding every comment, to check
that none is lost.
"""
