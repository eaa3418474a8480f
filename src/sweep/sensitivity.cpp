#include "bonesim/sweep/sensitivity.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bonesim {

namespace {

// Continued fraction of the regularized incomplete beta function I_x(a, b), evaluated
// by the modified Lentz method (converges for x < (a + 1) / (a + b + 2)).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-15;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::abs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    // Even step: m (b - m) x / ((a + 2m - 1)(a + 2m)).
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    d = 1.0 / (std::abs(d) < tiny ? tiny : d);
    c = std::abs(c) < tiny ? tiny : c;
    f *= d * c;
    // Odd step: -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    d = 1.0 / (std::abs(d) < tiny ? tiny : d);
    c = std::abs(c) < tiny ? tiny : c;
    const double delta = d * c;
    f *= delta;
    if (std::abs(delta - 1.0) < eps) break;
  }
  return f;
}

double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0.0;
  if (x >= 1) return 1.0;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
  return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;  // symmetry I_x(a,b) = 1 - I_1-x(b,a)
}

// Residual of v after least squares on the columns of `design`.
Eigen::VectorXd residual(const Eigen::MatrixXd& design, const Eigen::VectorXd& v) {
  return v - design * design.colPivHouseholderQr().solve(v);
}

}  // namespace

std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double mean_rank = 0.5 * double(i + j) + 1.0;
    for (std::size_t t = i; t <= j; ++t) r[order[t]] = mean_rank;
    i = j + 1;
  }
  return r;
}

double student_t_two_sided_p(double t, double df) {
  if (!std::isfinite(t)) return std::isnan(t) ? std::nan("") : 0.0;
  return incomplete_beta(0.5 * df, 0.5, df / (df + t * t));
}

std::vector<Prcc> partial_rank_correlations(const std::vector<std::vector<double>>& params,
                                            const std::vector<double>& y) {
  const std::size_t k = params.size();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < y.size(); ++i) {
    bool ok = std::isfinite(y[i]);
    for (const auto& p : params) ok = ok && i < p.size() && std::isfinite(p[i]);
    if (ok) rows.push_back(i);
  }
  const Eigen::Index n = Eigen::Index(rows.size());
  auto ranked = [&](const std::vector<double>& v) {
    std::vector<double> kept;
    for (std::size_t i : rows) kept.push_back(v[i]);
    const std::vector<double> r = ranks(kept);
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(r.data(), n));
  };
  std::vector<Eigen::VectorXd> rx;
  std::vector<bool> varies;
  for (const auto& p : params) {
    rx.push_back(ranked(p));
    varies.push_back(n > 1 && rx.back().maxCoeff() > rx.back().minCoeff());
  }
  const Eigen::VectorXd ry = ranked(y);
  const bool y_varies = n > 1 && ry.maxCoeff() > ry.minCoeff();
  const double controls = double(std::count(varies.begin(), varies.end(), true)) - 1.0;
  std::vector<Prcc> out;
  for (std::size_t j = 0; j < k; ++j) {
    const double df = double(n) - 2.0 - controls;
    if (!varies[j] || !y_varies || df < 1) {
      out.push_back({std::nan(""), std::nan(""), int(n)});
      continue;
    }
    Eigen::MatrixXd design(n, 1);
    design.col(0).setOnes();
    for (std::size_t c = 0; c < k; ++c) {
      if (c == j || !varies[c]) continue;
      design.conservativeResize(Eigen::NoChange, design.cols() + 1);
      design.col(design.cols() - 1) = rx[c];
    }
    const Eigen::VectorXd ex = residual(design, rx[j]), ey = residual(design, ry);
    const double sxx = ex.squaredNorm(), syy = ey.squaredNorm();
    if (!(sxx > 0 && syy > 0)) {
      out.push_back({std::nan(""), std::nan(""), int(n)});
      continue;
    }
    const double r = std::clamp(ex.dot(ey) / std::sqrt(sxx * syy), -1.0, 1.0);
    const double t = r * std::sqrt(df / std::max(1.0 - r * r, 1e-300));
    out.push_back({r, student_t_two_sided_p(t, df), int(n)});
  }
  return out;
}

}  // namespace bonesim
