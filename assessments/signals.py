"""What the questionnaire tells the apps built on it, which it does not know by name.

``assessment_submitted`` is sent inside the transaction of the submission (``sender`` the
``Assessment`` class, with ``assessment`` and ``event``): a receiver that raises undoes the
submission. ``scoring`` freezes the results as reported this way.
"""

from django.dispatch import Signal

assessment_submitted = Signal()
