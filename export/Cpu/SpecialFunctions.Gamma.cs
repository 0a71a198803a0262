namespace Graphport.Cpu;

/// <summary>
/// The gamma family, erfc and the modified Bessel function I0 (torch.lgamma, digamma, polygamma, erfc, i0), in double
/// precision: float results are these rounded, so they are at least as accurate as ATen's float kernels.
/// </summary>
public static partial class SpecialFunctions
{
    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>log|Γ(x)|: +inf at zero and the negative integers, as torch.lgamma.</summary>
    public static double LogGamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return double.PositiveInfinity;
        if (x <= 0 && x == Math.Floor(x)) return double.PositiveInfinity;
        if (x < 0.5)
        {
            // Reflection Γ(x)Γ(1-x) = π / sin(πx); the sine taken of the fractional part keeps its argument small.
            double sine = Math.Abs(SinPi(x));
            return Math.Log(Math.PI / sine) - LogGamma(1 - x);
        }
        // Shift up to where Stirling's series is exact to double precision, dividing the shifts back out.
        double shift = 0;
        double product = 1;
        while (x < 15)
        {
            product *= x;
            x += 1;
            if (product > 1e280)
            {
                shift += Math.Log(product);
                product = 1;
            }
        }
        shift += Math.Log(product);
        double inverse = 1 / x, inverse2 = inverse * inverse;
        double series = inverse * (1.0 / 12 + inverse2 * (-1.0 / 360 + inverse2 * (1.0 / 1260 + inverse2 * (-1.0 / 1680 + inverse2 * (1.0 / 1188 + inverse2 * (-691.0 / 360360 + inverse2 / 156))))));
        return (x - 0.5) * Math.Log(x) - x + HalfLogTwoPi + series - shift;
    }

    /// <summary>ψ(x) = Γ'(x)/Γ(x): -inf at zero and NaN at the negative integers, as torch.digamma.</summary>
    public static double Digamma(double x)
    {
        if (double.IsNaN(x) || double.IsNegativeInfinity(x)) return double.NaN;
        if (x == 0) return double.CopySign(double.PositiveInfinity, -x);
        if (x < 0)
        {
            if (x == Math.Floor(x)) return double.NaN;
            // ψ(1 - x) - ψ(x) = π cot(πx).
            return Digamma(1 - x) - Math.PI / TanPi(x);
        }
        double result = 0;
        while (x < 10)
        {
            result -= 1 / x;
            x += 1;
        }
        double inverse2 = 1 / (x * x);
        double series = inverse2 * (1.0 / 12 - inverse2 * (1.0 / 120 - inverse2 * (1.0 / 252 - inverse2 * (1.0 / 240 - inverse2 * (1.0 / 132 - inverse2 * 691.0 / 32760)))));
        return result + Math.Log(x) - 0.5 / x - series;
    }

    /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function (n ≥ 0), as torch.polygamma.</summary>
    public static double Polygamma(int n, double x)
    {
        if (n < 0) throw new ArgumentException($"polygamma(n, x) does not support negative n (got {n}).");
        if (n == 0) return Digamma(x);
        // ψ⁽ⁿ⁾(x) = (-1)^(n+1) n! ζ(n + 1, x).
        double factorial = 1;
        for (int k = 2; k <= n; k++) factorial *= k;
        return (n % 2 == 1 ? 1 : -1) * factorial * HurwitzZeta(n + 1, x);
    }

    /// <summary>
    /// ζ(s, q) = Σₖ (q + k)^-s for s &gt; 1: terms summed until q is large, then the Euler-Maclaurin tail. A negative q
    /// is shifted up by the terms it skips (exact for the integer s polygamma asks for); q at zero or a negative
    /// integer is a pole (+inf).
    /// </summary>
    public static double HurwitzZeta(double s, double q)
    {
        if (double.IsNaN(s) || double.IsNaN(q)) return double.NaN;
        if (s == 1) return double.PositiveInfinity;
        if (s < 1) return double.NaN;
        if (q <= 0)
        {
            if (q == Math.Floor(q)) return double.PositiveInfinity;
            if (s != Math.Floor(s)) return double.NaN;
        }
        double sum = 0;
        while (q < 12)
        {
            sum += Math.Pow(q, -s);
            q += 1;
        }
        // Tail: ∫ + half the first term + Bernoulli corrections B₂ⱼ/(2j)! · s(s+1)…(s+2j-2) · q^(-s-2j+1).
        double tail = Math.Pow(q, 1 - s) / (s - 1) + 0.5 * Math.Pow(q, -s);
        double rising = s, power = Math.Pow(q, -s - 1);
        ReadOnlySpan<double> bernoulliOverFactorial = [1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160, -691.0 / 1307674368000, 1.0 / 74724249600, -3617.0 / 10670622842880000];
        for (int j = 0; j < bernoulliOverFactorial.Length; j++)
        {
            double term = bernoulliOverFactorial[j] * rising * power;
            tail += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(tail)) break;
            rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
            power /= q * q;
        }
        return sum + tail;
    }

    /// <summary>1 - erf(x) without the cancellation that subtraction has for large x.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return 2 - Erfc(-x);
        if (x < 2) return 1 - Erf(x);
        if (x > 27) return 0;
        // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by Lentz's method.
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++)
        {
            double a = k * 0.5;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }

    /// <summary>I₀(x), the modified Bessel function of the first kind of order zero (torch.i0, Kaiser windows).</summary>
    public static double BesselI0(double x)
    {
        if (double.IsNaN(x)) return x;
        x = Math.Abs(x);
        if (x > 715) return double.PositiveInfinity;
        // Σ ((x/2)^k / k!)²: positive terms, so the sum is accurate however many it takes (about x).
        double quarter = x * x / 4, term = 1, sum = 1;
        for (int k = 1; k < 2000; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return sum;
    }

    // sin(πx) and tan(πx) from x's distance to the nearest integer, exact at the integers and half-integers.
    private static double SinPi(double x)
    {
        double r = x - 2 * Math.Floor(x / 2);
        return r <= 1 ? Math.Sin(Math.PI * (r <= 0.5 ? r : 1 - r)) : -Math.Sin(Math.PI * (r <= 1.5 ? r - 1 : 2 - r));
    }

    private static double TanPi(double x)
    {
        double r = x - Math.Floor(x);
        return r == 0.5 ? double.PositiveInfinity : Math.Tan(Math.PI * (r > 0.5 ? r - 1 : r));
    }
}
