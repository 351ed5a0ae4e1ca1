/*
 * flopscope._speedups: the ufunc fast path in C.
 *
 * Optional accelerator for flopscope/numpy/_ufunc_fast.py, which holds the reference
 * implementation (a generated Python function) and documents the contract. This file does
 * exactly what that template does, step for step, so the two bill identically and leave
 * identical records:
 *
 *   classify the operands (fnp.ndarray / np.ndarray / Python int or float, else hand the
 *   call to `general`) -> look the price up in ctx._hot_prices under (op, s0[, s1]) ->
 *   charge (check-and-add; ctx.charge on a miss or when over budget) -> run the ufunc on
 *   plain views -> refund if it raised -> view the result as fnp.ndarray -> append the
 *   record (name, inputs, cost, used, label, t0, backend_s, overhead_s, None).
 *
 * The check-and-add runs with the GIL held and calls no Python code, so it is atomic with
 * respect to every other charge. Not built for free-threaded Python (see setup.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <time.h>

/* -- module state (set once by configure()) ------------------------------------------- */

static PyTypeObject *FA_type = NULL;      /* flopscope FlopscopeArray */
static PyTypeObject *ND_type = NULL;      /* numpy.ndarray */
static PyObject *active_var = NULL;       /* ContextVar of the active BudgetContext */
static PyObject *label_var = NULL;        /* ContextVar of the attribution label */
static PyObject *default_context = NULL;  /* callable: the global default context */
static PyObject *perf_counter = NULL;     /* time.perf_counter (non-Linux clock) */
static int check_nan_inf = 0;             /* route everything to `general` while set */
static int use_labels = 0;                /* a scope() has been entered: read the label */

static PyObject *s_shape, *s_view, *s_hot_prices, *s_prices, *s_used, *s_budget;
static PyObject *s_records, *s_charge, *s_refund, *empty_tuple;

static inline double
now(void)
{
#ifdef __linux__
    /* time.perf_counter() reads CLOCK_MONOTONIC on Linux: same clock, same origin */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
#else
    PyObject *t = PyObject_CallNoArgs(perf_counter);
    double v = t ? PyFloat_AsDouble(t) : 0.0;
    Py_XDECREF(t);
    if (v == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
    }
    return v;
#endif
}

/* -- the fast path object ------------------------------------------------------------- */

/* MODE_REDUCE: a reduction over all axes, `fnp.sum(a)`: one array operand, inputs
 * (shape, None) as the general path computes them for axis=None. */
enum { MODE_CALL = 0, MODE_FORWARD = 1, MODE_REFLECTED = 2, MODE_UNARY = 3, MODE_REDUCE = 4 };

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;
    PyObject *op;
    PyObject *uf;
    PyObject *name;
    PyObject *general;
    PyObject *wrap_result;
    int nin;
    int mode;
} FastPath;

/* Classify one operand: 1 = handled (shape and plain view set, new refs), 0 = not a
 * common operand (go general), -1 = error. */
static int
classify(PyObject *x, PyObject **shape, PyObject **plain)
{
    PyTypeObject *t = Py_TYPE(x);
    if (t == FA_type) {
        *shape = PyObject_GetAttr(x, s_shape);
        if (*shape == NULL) {
            return -1;
        }
        *plain = PyObject_CallMethodOneArg(x, s_view, (PyObject *)ND_type);
        if (*plain == NULL) {
            Py_CLEAR(*shape);
            return -1;
        }
        return 1;
    }
    if (t == ND_type) {
        *shape = PyObject_GetAttr(x, s_shape);
        if (*shape == NULL) {
            return -1;
        }
        Py_INCREF(x);
        *plain = x;
        return 1;
    }
    if (t == &PyFloat_Type || t == &PyLong_Type) {
        Py_INCREF(empty_tuple);
        *shape = empty_tuple;
        Py_INCREF(x);
        *plain = x;
        return 1;
    }
    return 0;
}

static PyObject *
general_call(FastPath *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    return PyObject_Vectorcall(self->general, args, nargsf, kwnames);
}

static PyObject *
fastpath_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                    PyObject *kwnames)
{
    FastPath *self = (FastPath *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *x[2] = {NULL, NULL};
    PyObject *shape[2] = {NULL, NULL};
    PyObject *plain[2] = {NULL, NULL};
    PyObject *ctx = NULL, *key = NULL, *hot = NULL, *inputs = NULL, *cost = NULL;
    PyObject *used = NULL, *r = NULL, *out = NULL, *label = NULL, *records = NULL;
    PyObject *rec = NULL;
    int nin = self->nin;
    int i, k;
    double t0, t1, t2;

    t0 = now();
    if (check_nan_inf || kwnames != NULL) {
        return general_call(self, args, nargsf, kwnames);
    }
    switch (self->mode) {
    case MODE_CALL:
        if (nargs != nin) {
            return general_call(self, args, nargsf, kwnames);
        }
        x[0] = args[0];
        x[1] = nin == 2 ? args[1] : NULL;
        break;
    case MODE_FORWARD:
    case MODE_UNARY:
    case MODE_REDUCE:
        if (nargs != nin) {
            return general_call(self, args, nargsf, kwnames);
        }
        x[0] = args[0];
        x[1] = nin == 2 ? args[1] : NULL;
        break;
    case MODE_REFLECTED:
        if (nargs != 2) {
            return general_call(self, args, nargsf, kwnames);
        }
        x[0] = args[1];
        x[1] = args[0];
        break;
    default:
        PyErr_SetString(PyExc_SystemError, "flopscope fast path: bad mode");
        return NULL;
    }
    if (self->mode == MODE_REDUCE && Py_TYPE(x[0]) != FA_type && Py_TYPE(x[0]) != ND_type) {
        return general_call(self, args, nargsf, kwnames);
    }
    for (i = 0; i < nin; i++) {
        k = classify(x[i], &shape[i], &plain[i]);
        if (k <= 0) {
            for (int j = 0; j < i; j++) {
                Py_CLEAR(shape[j]);
                Py_CLEAR(plain[j]);
            }
            if (k < 0) {
                return NULL;
            }
            return general_call(self, args, nargsf, kwnames);
        }
    }

    /* the active context (or the global default) */
    if (PyContextVar_Get(active_var, NULL, &ctx) < 0) {
        goto fail;
    }
    if (ctx == NULL || ctx == Py_None) {
        Py_XDECREF(ctx);
        ctx = PyObject_CallNoArgs(default_context);
        if (ctx == NULL) {
            goto fail;
        }
    }

    /* the analytical inputs' second item: the other operand's shape, or the axis (None) */
    PyObject *second = self->mode == MODE_REDUCE ? Py_None : (nin == 2 ? shape[1] : NULL);
    key = second != NULL ? PyTuple_Pack(3, self->op, shape[0], second)
                         : PyTuple_Pack(2, self->op, shape[0]);
    if (key == NULL) {
        goto fail;
    }
    hot = PyObject_GetAttr(ctx, s_hot_prices);
    if (hot == NULL) {
        goto fail;
    }
    PyObject *entry = NULL; /* borrowed */
    if (PyDict_CheckExact(hot)) {
        entry = PyDict_GetItemWithError(hot, key);
        if (entry == NULL && PyErr_Occurred()) {
            goto fail;
        }
    }
    if (entry != NULL && PyTuple_CheckExact(entry) && PyTuple_GET_SIZE(entry) == 2) {
        /* priced before: check-and-add, no Python code runs in between */
        cost = PyTuple_GET_ITEM(entry, 0);
        inputs = PyTuple_GET_ITEM(entry, 1);
        Py_INCREF(cost);
        Py_INCREF(inputs);
        PyObject *prev = PyObject_GetAttr(ctx, s_used);
        if (prev == NULL) {
            goto fail;
        }
        used = PyNumber_Add(prev, cost);
        Py_DECREF(prev);
        if (used == NULL) {
            goto fail;
        }
        PyObject *budget = PyObject_GetAttr(ctx, s_budget);
        if (budget == NULL) {
            goto fail;
        }
        int over = PyObject_RichCompareBool(used, budget, Py_GT);
        Py_DECREF(budget);
        if (over < 0) {
            goto fail;
        }
        if (over) {
            /* ctx.charge raises unless a refund made room meanwhile */
            Py_CLEAR(used);
            PyObject *t0o = PyFloat_FromDouble(t0);
            if (t0o == NULL) {
                goto fail;
            }
            PyObject *res = PyObject_CallMethodObjArgs(ctx, s_charge, self->op, inputs, t0o,
                                                       NULL);
            Py_DECREF(t0o);
            if (res == NULL) {
                goto fail;
            }
            Py_SETREF(cost, PyTuple_GET_ITEM(res, 0));
            Py_INCREF(cost);
            used = PyTuple_GET_ITEM(res, 1);
            Py_INCREF(used);
            Py_DECREF(res);
        }
        else if (PyObject_SetAttr(ctx, s_used, used) < 0) {
            goto fail;
        }
    }
    else {
        /* not priced yet, or a time limit applies (ctx._hot_prices is empty then) */
        inputs = second != NULL ? PyTuple_Pack(2, shape[0], second) : PyTuple_Pack(1, shape[0]);
        if (inputs == NULL) {
            goto fail;
        }
        PyObject *t0o = PyFloat_FromDouble(t0);
        if (t0o == NULL) {
            goto fail;
        }
        PyObject *res = PyObject_CallMethodObjArgs(ctx, s_charge, self->op, inputs, t0o, NULL);
        Py_DECREF(t0o);
        if (res == NULL) {
            goto fail;
        }
        if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 2) {
            Py_DECREF(res);
            PyErr_SetString(PyExc_SystemError, "BudgetContext.charge returned a non-pair");
            goto fail;
        }
        cost = PyTuple_GET_ITEM(res, 0);
        used = PyTuple_GET_ITEM(res, 1);
        Py_INCREF(cost);
        Py_INCREF(used);
        Py_DECREF(res);
        PyObject *prices = PyObject_GetAttr(ctx, s_prices);
        if (prices == NULL) {
            goto fail;
        }
        if (prices == hot) {
            PyObject *pair = PyTuple_Pack(2, cost, inputs);
            int bad = pair == NULL || PyObject_SetItem(prices, key, pair) < 0;
            Py_XDECREF(pair);
            if (bad) {
                Py_DECREF(prices);
                goto fail_charged;
            }
        }
        Py_DECREF(prices);
    }

    t1 = now();
    r = PyObject_Vectorcall(self->uf, plain, nin, NULL);
    if (r == NULL) {
        goto fail_charged;
    }
    t2 = now();
    if (Py_TYPE(r) == ND_type) {
        out = PyObject_CallMethodOneArg(r, s_view, (PyObject *)FA_type);
    }
    else {
        out = PyObject_CallOneArg(self->wrap_result, r);
    }
    Py_CLEAR(r);
    if (out == NULL) {
        goto fail_charged;
    }

    if (use_labels) {
        if (PyContextVar_Get(label_var, NULL, &label) < 0) {
            goto fail_ran;
        }
        if (label == NULL) {
            label = Py_NewRef(Py_None);
        }
    }
    else {
        label = Py_NewRef(Py_None);
    }
    rec = PyTuple_New(9);
    if (rec == NULL) {
        goto fail_ran;
    }
    PyObject *f0 = PyFloat_FromDouble(t0);
    PyObject *fb = PyFloat_FromDouble(t2 - t1);
    PyObject *fo = PyFloat_FromDouble(t1 - t0);
    if (f0 == NULL || fb == NULL || fo == NULL) {
        Py_XDECREF(f0);
        Py_XDECREF(fb);
        Py_XDECREF(fo);
        goto fail_ran;
    }
    PyTuple_SET_ITEM(rec, 0, Py_NewRef(self->name));
    PyTuple_SET_ITEM(rec, 1, Py_NewRef(inputs));
    PyTuple_SET_ITEM(rec, 2, Py_NewRef(cost));
    PyTuple_SET_ITEM(rec, 3, Py_NewRef(used));
    PyTuple_SET_ITEM(rec, 4, label);
    label = NULL;
    PyTuple_SET_ITEM(rec, 5, f0);
    PyTuple_SET_ITEM(rec, 6, fb);
    PyTuple_SET_ITEM(rec, 7, fo);
    PyTuple_SET_ITEM(rec, 8, Py_NewRef(Py_None));
    records = PyObject_GetAttr(ctx, s_records);
    if (records == NULL || PyList_Append(records, rec) < 0) {
        goto fail_ran;
    }
    Py_DECREF(records);
    Py_DECREF(rec);
    Py_DECREF(ctx);
    Py_DECREF(key);
    Py_DECREF(hot);
    Py_DECREF(inputs);
    Py_DECREF(cost);
    Py_DECREF(used);
    for (i = 0; i < nin; i++) {
        Py_DECREF(shape[i]);
        Py_DECREF(plain[i]);
    }
    return out;

fail_charged:
    /* the ufunc (or what follows it) raised: give the FLOPs back, keep the exception */
    {
        PyObject *exc_type, *exc_value, *exc_tb;
        PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
        PyObject *res = PyObject_CallMethodOneArg(ctx, s_refund, cost);
        if (res == NULL) {
            Py_XDECREF(exc_type);
            Py_XDECREF(exc_value);
            Py_XDECREF(exc_tb);
            goto fail;
        }
        Py_DECREF(res);
        PyErr_Restore(exc_type, exc_value, exc_tb);
    }
    goto fail;
fail_ran:
    /* a failure while recording, after the op ran: the caller sees the error */
    Py_CLEAR(out);
fail:
    Py_XDECREF(ctx);
    Py_XDECREF(key);
    Py_XDECREF(hot);
    Py_XDECREF(inputs);
    Py_XDECREF(cost);
    Py_XDECREF(used);
    Py_XDECREF(r);
    Py_XDECREF(out);
    Py_XDECREF(label);
    Py_XDECREF(records);
    Py_XDECREF(rec);
    for (i = 0; i < 2; i++) {
        Py_XDECREF(shape[i]);
        Py_XDECREF(plain[i]);
    }
    return NULL;
}

static PyObject *
fastpath_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"op", "uf", "name", "general", "wrap_result", "nin", "mode", NULL};
    PyObject *op, *uf, *name, *general, *wrap_result;
    int nin, mode;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOii", kwlist, &op, &uf, &name,
                                     &general, &wrap_result, &nin, &mode)) {
        return NULL;
    }
    if (nin < 1 || nin > 2 || mode < MODE_CALL || mode > MODE_REDUCE ||
        (mode == MODE_REDUCE && nin != 1)) {
        PyErr_SetString(PyExc_ValueError, "FastPath: nin must be 1 or 2 and mode 0..4");
        return NULL;
    }
    FastPath *self = (FastPath *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->vectorcall = fastpath_vectorcall;
    self->op = Py_NewRef(op);
    self->uf = Py_NewRef(uf);
    self->name = Py_NewRef(name);
    self->general = Py_NewRef(general);
    self->wrap_result = Py_NewRef(wrap_result);
    self->nin = nin;
    self->mode = mode;
    return (PyObject *)self;
}

static int
fastpath_traverse(FastPath *self, visitproc visit, void *arg)
{
    Py_VISIT(self->dict);
    Py_VISIT(self->op);
    Py_VISIT(self->uf);
    Py_VISIT(self->name);
    Py_VISIT(self->general);
    Py_VISIT(self->wrap_result);
    return 0;
}

static int
fastpath_clear(FastPath *self)
{
    Py_CLEAR(self->dict);
    Py_CLEAR(self->op);
    Py_CLEAR(self->uf);
    Py_CLEAR(self->name);
    Py_CLEAR(self->general);
    Py_CLEAR(self->wrap_result);
    return 0;
}

static void
fastpath_dealloc(FastPath *self)
{
    PyObject_GC_UnTrack(self);
    fastpath_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Bound like a function when stored on a class (operator dunders). */
static PyObject *
fastpath_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    return PyMethod_New(self, obj);
}

static PyMemberDef fastpath_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(FastPath, dict), READONLY},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(FastPath, vectorcall), READONLY},
    {"general", T_OBJECT, offsetof(FastPath, general), READONLY,
     "the full function behind this fast path"},
    {NULL},
};

static PyGetSetDef fastpath_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict},
    {NULL},
};

static PyTypeObject FastPathType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "flopscope._speedups.FastPath",
    .tp_doc = "A counted ufunc call (C fast path; see flopscope.numpy._ufunc_fast).",
    .tp_basicsize = sizeof(FastPath),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = fastpath_new,
    .tp_dealloc = (destructor)fastpath_dealloc,
    .tp_traverse = (traverseproc)fastpath_traverse,
    .tp_clear = (inquiry)fastpath_clear,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(FastPath, vectorcall),
    .tp_descr_get = fastpath_descr_get,
    .tp_dictoffset = offsetof(FastPath, dict),
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_members = fastpath_members,
    .tp_getset = fastpath_getset,
};

/* -- module functions ----------------------------------------------------------------- */

static PyObject *
configure(PyObject *module, PyObject *args)
{
    PyObject *fa, *nd, *active, *label, *dflt, *pc;
    if (!PyArg_ParseTuple(args, "O!O!OOOO", &PyType_Type, &fa, &PyType_Type, &nd, &active,
                          &label, &dflt, &pc)) {
        return NULL;
    }
    if (!PyContextVar_CheckExact(active) || !PyContextVar_CheckExact(label)) {
        PyErr_SetString(PyExc_TypeError, "configure: expected two ContextVars");
        return NULL;
    }
    Py_XSETREF(FA_type, (PyTypeObject *)Py_NewRef(fa));
    Py_XSETREF(ND_type, (PyTypeObject *)Py_NewRef(nd));
    Py_XSETREF(active_var, Py_NewRef(active));
    Py_XSETREF(label_var, Py_NewRef(label));
    Py_XSETREF(default_context, Py_NewRef(dflt));
    Py_XSETREF(perf_counter, Py_NewRef(pc));
    Py_RETURN_NONE;
}

static PyObject *
set_flags(PyObject *module, PyObject *args)
{
    int nan_inf, labels;
    if (!PyArg_ParseTuple(args, "pp", &nan_inf, &labels)) {
        return NULL;
    }
    check_nan_inf = nan_inf;
    use_labels = labels;
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(FlopscopeArray, ndarray, active_var, label_var, default_context, "
     "perf_counter)"},
    {"set_flags", set_flags, METH_VARARGS, "set_flags(check_nan_inf, use_labels)"},
    {NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "flopscope._speedups",
    .m_doc = "C fast path of counted ufunc calls (optional; see flopscope.numpy._ufunc_fast).",
    .m_size = -1,
    .m_methods = module_methods,
};

#define INTERN(var, text)                                                                   \
    do {                                                                                    \
        var = PyUnicode_InternFromString(text);                                             \
        if (var == NULL) {                                                                  \
            return NULL;                                                                    \
        }                                                                                   \
    } while (0)

PyMODINIT_FUNC
PyInit__speedups(void)
{
    INTERN(s_shape, "shape");
    INTERN(s_view, "view");
    INTERN(s_hot_prices, "_hot_prices");
    INTERN(s_prices, "_prices");
    INTERN(s_used, "_used");
    INTERN(s_budget, "_budget");
    INTERN(s_records, "_records");
    INTERN(s_charge, "charge");
    INTERN(s_refund, "refund");
    empty_tuple = PyTuple_New(0);
    if (empty_tuple == NULL) {
        return NULL;
    }
    if (PyType_Ready(&FastPathType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&speedups_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "FastPath", (PyObject *)&FastPathType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
