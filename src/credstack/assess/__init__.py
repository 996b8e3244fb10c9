"""Competency-based assessment: rubrics, learners, assessment records and decisions.

Assessment first, as Toronto Metropolitan University designs it (the scan, section 5.2):
a rubric's criteria link to the micro-credential's learning outcomes (and through them
to the competencies they align to); each criterion has a threshold level on a
proficiency scale, and a learner is competent only when every required criterion
reaches its threshold (non-compensatory). The achieved level of every criterion is
kept, so a badge can say how well, not only whether.

Rooms: ``rubric`` (the rubric model and its checks against a micro-credential),
``learner`` (minimal personal data, the salted identity hash), ``record`` (an
assessment record with evidence), ``decision`` (the pure decision rule), ``files``
(rubric and record files with errors naming file and field), ``service`` (storage).
"""
