"""Probability that a sampling plan accepts a lot (operating characteristic).

Log10 counts in the lot are taken as normal with mean mu and standard deviation sigma. A
sub-sample is ≤ m with probability p_a = Φ((log m − μ)/σ) and in (m, M] with
p_m = Φ((log M − μ)/σ) − p_a; a 3-class plan accepts when at most c of n lie in (m, M] and the
rest ≤ m. A 2-class plan (M absent or equal to m) accepts when at most c of n lie above m.
"""

from __future__ import annotations

import math

from dairyhaccp.lab.findings import check_count, check_finite

DEFAULT_SIGMA = 0.8
# Beyond any sampling plan; C(n, k) of a larger n no longer fits a float.
MAX_SUB_SAMPLES = 1000
MAX_POINTS = 100_000


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def acceptance_probability(
    n: int,
    c: int,
    m: float,
    M: float | None,  # noqa: N803 - the regulation's name
    mu: float,
    sigma: float = DEFAULT_SIGMA,
) -> float:
    """Probability that a lot with log10 counts ~ N(mu, sigma) passes the (n, c, m, M) plan."""
    check_count("n", n, minimum=1)
    if n > MAX_SUB_SAMPLES:
        raise ValueError(f"n: {n} is more than {MAX_SUB_SAMPLES} sub-samples")
    check_count("c", c, minimum=0)
    if c > n:
        raise ValueError(f"c: {c} is more than n = {n}")
    m = check_finite("m", m)
    if m <= 0:
        raise ValueError(f"m: {m!r} must be positive for a log-normal model")
    if M is not None and check_finite("M", M) < m:
        raise ValueError(f"M: {M!r} is below m = {m:g}")
    mu = check_finite("mu", mu)
    sigma = check_finite("sigma", sigma)
    if sigma <= 0:
        raise ValueError(f"sigma: {sigma!r} must be positive")
    p_below_m = _normal_cdf((math.log10(m) - mu) / sigma)
    if M is None or m == M:
        p_counted = 1 - p_below_m
    else:
        p_counted = _normal_cdf((math.log10(M) - mu) / sigma) - p_below_m
    total = math.fsum(math.comb(n, i) * p_counted**i * p_below_m ** (n - i) for i in range(c + 1))
    return min(1.0, max(0.0, total))


def oc_curve(
    n: int,
    c: int,
    m: float,
    M: float | None,  # noqa: N803 - the regulation's name
    sigma: float,
    mu_from: float,
    mu_to: float,
    step: float,
) -> list[tuple[float, float]]:
    """The operating characteristic: (mu, acceptance probability) from mu_from to mu_to."""
    mu_from = check_finite("mu_from", mu_from)
    mu_to = check_finite("mu_to", mu_to)
    step = check_finite("step", step)
    if step <= 0:
        raise ValueError(f"step: {step!r} must be positive")
    if mu_to < mu_from:
        raise ValueError(f"mu_to: {mu_to!r} is below mu_from = {mu_from!r}")
    # A small allowance so that mu_to itself is included despite rounding of the steps.
    steps = (mu_to - mu_from) / step + 1e-9
    if not steps < MAX_POINTS:  # also an overflow to infinity
        raise ValueError(f"step: {step!r} gives more than {MAX_POINTS} points")
    count = math.floor(steps) + 1
    curve = []
    for index in range(count):
        mu = mu_from + index * step
        curve.append((mu, acceptance_probability(n, c, m, M, mu, sigma)))
    return curve
