"""Names numpy has but flopscope refuses (I/O, process state, string formatting).

These are not ops: there is no cost to declare. ``fnp.<name>`` raises ``AttributeError``
naming the op and saying what to do instead.
"""

from __future__ import annotations

from flopscope.ops._row import Op

#: name -> what to use instead
BLOCKED: dict[str, str] = {
    "genfromtxt": "Load text with numpy outside the counted region, then fnp.asarray(...).",
    "loadtxt": "Load text with numpy outside the counted region, then fnp.asarray(...).",
    "load": "Load files with numpy outside the counted region, then fnp.asarray(...).",
    "save": "Save arrays with numpy directly (np.save); saving is not an array operation.",
    "savetxt": "Save arrays with numpy directly (np.savetxt).",
    "savez": "Save arrays with numpy directly (np.savez).",
    "savez_compressed": "Save arrays with numpy directly (np.savez_compressed).",
    "show_config": "Call numpy.show_config() directly.",
    "show_runtime": "Call numpy.show_runtime() directly.",
    "get_include": "Call numpy.get_include() directly.",
    "getbufsize": "Buffer sizes are numpy process state; use numpy directly.",
    "setbufsize": "Buffer sizes are numpy process state; use numpy directly.",
    "geterrcall": "Error callbacks are numpy process state; use numpy directly.",
    "seterrcall": "Error callbacks are numpy process state; use numpy directly.",
    "asmatrix": "np.matrix is deprecated; use 2-D arrays (fnp.asarray) and fnp.matmul.",
    "nested_iters": "Use Python loops over fnp arrays, or fnp.nditer.",
    "frompyfunc": "Python-level ufuncs cannot be priced; write the loop with counted fnp ops.",
    "datetime_as_string": "String formatting is not an array operation; use numpy directly.",
    "datetime_data": "Use numpy directly for datetime metadata.",
    "busday_count": "Business-day calendars are not supported; use numpy directly.",
    "busday_offset": "Business-day calendars are not supported; use numpy directly.",
    "is_busday": "Business-day calendars are not supported; use numpy directly.",
    "array2string": "Use str(a) or repr(a); formatting is free but not part of fnp.",
    "array_repr": "Use repr(a).",
    "array_str": "Use str(a).",
    "format_float_positional": "Format Python floats with f-strings or numpy directly.",
    "format_float_scientific": "Format Python floats with f-strings or numpy directly.",
}

OPS: tuple[Op, ...] = ()


def blocked_message(name: str) -> str:
    return (
        f"flopscope.numpy does not support {name!r} (blocked): {BLOCKED[name]} "
        "Counted operations are listed in the docs' op reference."
    )
