"""The registry of methods: the built-in method folders, then any registered at run time.

Built-in methods are found by their declaration files, `ssl_zoo/models/*/*_method.py`, which
are run by path under their module name, not imported through `ssl_zoo.models`: that would
import Keras, and the command line lists methods before the backend is chosen. A later
`import ssl_zoo.models.<method>.<method>_method` finds the module already run. A method defined elsewhere (a test,
a user's package) calls `register` before the command line or the tools look it up.
"""

import glob
import importlib.util
import os
import sys

_MODELS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models")
_registered = {}
_builtin_modules = []  # the declaration files' module names
_builtins_loaded = False


def register(method):
    """Add `method` (an `ssl_zoo.methods.Method`); its name must be new.

    Returns:
        `method`, so a declaration can read `METHOD = register(Method(...))`.
    """
    _load_builtins()
    if method.name in _registered:
        raise ValueError(
            f"A method named {method.name!r} is already registered. Choose another name."
        )
    taken = {name: m.name for m in _registered.values() for name in m.presets}
    clashes = sorted(set(method.presets) & set(taken))
    if clashes:
        raise ValueError(
            f"Method {method.name!r} declares presets of method {taken[clashes[0]]!r}: "
            f"{', '.join(clashes)}"
        )
    _registered[method.name] = method
    return method


def get(name):
    """The method registered as `name`; a `ValueError` lists the others."""
    methods = registered()
    if name not in methods:
        raise ValueError(f"Unknown method {name!r}. Available: {', '.join(methods)}")
    return methods[name]


def registered():
    """`{name: Method}` of every method, in the order of their names."""
    _load_builtins()
    return dict(sorted(_registered.items()))


def builtin():
    """The names of the methods declared in `ssl_zoo/models/`, in order."""
    _load_builtins()
    return sorted(sys.modules[name].METHOD.name for name in _builtin_modules)


def _load_builtins():
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    for path in sorted(glob.glob(os.path.join(_MODELS, "*", "*_method.py"))):
        folder, file = os.path.split(os.path.relpath(path, _MODELS))
        name = f"ssl_zoo.models.{folder}.{file[: -len('.py')]}"
        _builtin_modules.append(name)
        if name in sys.modules:  # imported already (or being imported): it registers itself
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)  # calls register()
        except BaseException:
            del sys.modules[name]
            raise
