"""The shared task tests (`ssl_zoo.testing.task_harness`) for every built-in method."""

from ssl_zoo import methods
from ssl_zoo.testing import task_harness

for _name in methods.builtin():
    _test = f"{_name.title().replace('_', '')}HarnessTest"
    globals()[_test] = type(_test, (task_harness.TaskHarness,), {"method_name": _name})
