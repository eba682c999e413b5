"""Fitting a multinomial logistic regression on sparse text features (internal; numpy and scipy).

The objective is scikit-learn's ``LogisticRegression`` (multinomial, L2), divided by the number of
texts: ``mean log-loss + ||W||^2 / (2 C n)``, the intercepts unpenalised. It is minimised by
L-BFGS on a ``scipy.sparse`` design matrix. scikit-learn itself is not needed: the model is
ours to export as JSON, and the whole fit is the lines below.

The L-BFGS loop is written here (Nocedal and Wright, *Numerical Optimization*, 2nd ed.,
algorithm 7.4, with a backtracking Armijo line search) rather than taken from
``scipy.optimize.minimize(method="L-BFGS-B")``: with a weight per feature and label (835,000 on
banking77) scipy's bound-constrained routine spent 0.16 s per iteration in its own bookkeeping,
three times the cost of the loss and gradient, where the unconstrained two-loop recursion below
costs a few vector products (taken with ``einsum``, not BLAS, whose worker threads spin and
slowed a small fit twentyfold on a shared two-core machine).

Example:
    >>> import numpy as np
    >>> from scipy import sparse
    >>> x = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))
    >>> w, b = fit_logistic(x, np.array([0, 1, 0, 1]), n_classes=2, C=10.0)
    >>> bool(w[0, 0] > w[0, 1] and w[1, 1] > w[1, 0])
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cs8._optional import require

__all__ = ["fit_logistic", "fit_temperature", "lbfgs"]

NDArray = Any  # numpy arrays and scipy matrices (both optional: not imported at module load)


def lbfgs(
    fun: Callable[[NDArray], tuple[float, NDArray]],
    x0: NDArray,
    *,
    max_iter: int,
    gtol: float,
    memory: int = 10,
) -> NDArray:
    """Minimise a smooth function from ``x0``; stop when no gradient component exceeds ``gtol``.

    Example:
        >>> import numpy as np
        >>> quad = lambda x: (float(((x - 3) ** 2).sum()), 2 * (x - 3))
        >>> lbfgs(quad, np.zeros(2), max_iter=50, gtol=1e-8).round(6).tolist()
        [3.0, 3.0]
    """
    np = require("numpy", "text", "TextClassifier.train")

    def dot(a: NDArray, b: NDArray) -> float:
        # Not ``a @ b``: BLAS would wake its worker threads, whose spinning costs more than the
        # product on a shared two-core machine.
        return float(np.einsum("i,i->", a, b))

    x = x0.copy()
    f, g = fun(x)
    s_list: list[NDArray] = []
    y_list: list[NDArray] = []
    for _ in range(max_iter):
        if float(np.abs(g).max()) <= gtol:
            break
        # The two-loop recursion: d = -H g, H the inverse Hessian estimate.
        q = g.copy()
        alphas: list[tuple[float, float]] = []
        for s, y in zip(reversed(s_list), reversed(y_list), strict=True):
            rho = 1.0 / dot(y, s)
            a = rho * dot(s, q)
            q -= a * y
            alphas.append((a, rho))
        if s_list:
            q *= dot(s_list[-1], y_list[-1]) / dot(y_list[-1], y_list[-1])
        else:
            q /= max(1.0, dot(g, g) ** 0.5)
        for s, y, (a, rho) in zip(s_list, y_list, reversed(alphas), strict=True):
            q += (a - rho * dot(y, q)) * s
        d = -q
        slope = dot(g, d)
        if slope >= 0:  # not a descent direction: forget the history, go down the gradient
            s_list.clear()
            y_list.clear()
            d = -g
            slope = dot(g, d)
        step = 1.0
        while True:
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s_k, y_k = x_new - x, g_new - g
        if dot(s_k, y_k) > 1e-12:
            s_list.append(s_k)
            y_list.append(y_k)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        stalled = f - f_new <= 1e-12 * max(1.0, abs(f))
        x, f, g = x_new, f_new, g_new
        if stalled:
            break
    return x


def fit_logistic(
    x: NDArray,
    y: NDArray,
    n_classes: int,
    C: float,
    *,
    max_iter: int = 300,
    tol: float = 1e-4,
    start: tuple[NDArray, NDArray] | None = None,
) -> tuple[NDArray, NDArray]:
    """Return the weights ``(n_features, n_classes)`` and intercepts of an L2 multinomial model.

    Args:
        x: The design matrix, texts by features (a scipy sparse matrix).
        y: The class index of each text.
        n_classes: How many classes.
        C: Inverse regularisation strength.
        max_iter: L-BFGS iterations at most.
        tol: Stop when no gradient component exceeds it (scikit-learn's ``tol``).
        start: Weights and intercepts to start from (a warm start).
    """
    np = require("numpy", "text", "TextClassifier.train")
    n, p = x.shape
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    # Products in float32 (half the memory traffic); L-BFGS keeps its own state in float64.
    x = x.astype(np.float32)
    xt = x.T.tocsr()
    penalty = 1.0 / (C * n)

    def fun(theta: NDArray) -> tuple[float, NDArray]:
        w = theta[: p * n_classes].reshape(p, n_classes)
        b = theta[p * n_classes :]
        scores = (x @ w.astype(np.float32)).astype(np.float64) + b
        top = scores.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(scores - top).sum(axis=1))
        loss = float((log_norm - scores[np.arange(n), y]).mean()) + 0.5 * penalty * float(
            (w * w).sum()
        )
        residual = (np.exp(scores - log_norm[:, None]) - onehot) / n
        grad_w = (xt @ residual.astype(np.float32)).astype(np.float64) + penalty * w
        return loss, np.concatenate((np.asarray(grad_w).ravel(), residual.sum(axis=0)))

    if start is None:
        theta0 = np.zeros(p * n_classes + n_classes)
    else:
        theta0 = np.concatenate((start[0].ravel(), start[1]))
    theta = lbfgs(fun, theta0, max_iter=max_iter, gtol=tol)
    return theta[: p * n_classes].reshape(p, n_classes), theta[p * n_classes :]


def fit_temperature(scores: NDArray, y: NDArray) -> float:
    """Return the temperature ``T`` minimising the log-loss of ``softmax(scores / T)``.

    Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017): one
    parameter, fitted on held-out texts by a bounded scalar search on ``log T`` in [log 1/20,
    log 20].

    Example:
        >>> import numpy as np
        >>> s = np.array([[4.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 0.0]])
        >>> fit_temperature(s, np.array([0, 1, 1, 0])) > 1
        True
    """
    np = require("numpy", "text", "TextClassifier.train")
    optimize = require("scipy.optimize", "text", "TextClassifier.train")
    rows = np.arange(len(y))

    def nll(log_t: float) -> float:
        z = scores / np.exp(log_t)
        top = z.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
        return float((log_norm - z[rows, y]).mean())

    found = optimize.minimize_scalar(
        nll, bounds=(float(np.log(1 / 20)), float(np.log(20.0))), method="bounded"
    )
    return float(np.exp(found.x))
