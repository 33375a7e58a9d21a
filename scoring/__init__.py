"""Scoring: implementation index, gaps, guideline alignment, matching of gaps, freshness.

Plain modules of small typed functions (see docs/scoring.md):

- :mod:`.facts`: what scoring reads, loaded in a fixed number of queries into plain values;
- :mod:`.index`: implementation index per activity, category and country;
- :mod:`.gaps`: the gap rule, severity and ranking;
- :mod:`.guidelines`: the criteria and scores of the ten guidelines;
- :mod:`.matching`: gaps to compendium entries, re-ranked with the country's context;
- :mod:`.compare`: progress since the earlier assessment;
- :mod:`.results`: the entry points other apps call: :func:`~.results.assessment_results`
  with its cache, :func:`~.results.results_for_display`, :func:`~.results.cycle_results`,
  :func:`~.results.score_all` and the snapshots;
- :mod:`.values`: the results as plain frozen dataclasses (:class:`~.values.Results`);
- :mod:`.views`, :mod:`.exports`, :mod:`.charts`: the results pages, CSV/XLSX and the chart.
"""
