"""A test-only app for the worker that gets killed mid-render: each report render waits
``SLOW_RENDER_SECONDS`` before it returns, time to kill the worker (tests/integration)."""
