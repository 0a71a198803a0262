using System.Globalization;

namespace Graphport;

/// <summary>
/// Torch's <c>_Formatter</c>: looks at every element that will be shown once, picks one notation and
/// one width for the whole tensor, then renders single elements right-aligned to that width, so that
/// columns line up across rows and blocks.
/// </summary>
internal sealed class ElementFormatter
{
    private readonly ITensorElements tensor;
    private readonly int precision;
    private readonly bool floating;

    /// <summary>Every shown nonzero finite value is a whole number: print <c>3.</c> instead of <c>3.0000</c>.</summary>
    private readonly bool intMode = true;

    private readonly bool sciMode;

    public ElementFormatter(ITensorElements tensor, IEnumerable<long> shownFlatIndices, TensorPrintOptions options)
    {
        this.tensor = tensor;
        precision = options.Precision;
        floating = tensor.DType.IsFloatingPoint();
        Width = 1;

        if (!floating)
        {
            foreach (long index in shownFlatIndices)
                Width = Math.Max(Width, Plain(index).Length);
        }
        else
        {
            // Zeros and non-finite values print the same in every mode, so they take no part in choosing it.
            var nonzeroFinite = shownFlatIndices.Select(ReadFloat).Where(v => double.IsFinite(v) && v != 0).ToList();
            if (nonzeroFinite.Count > 0)
            {
                double min = nonzeroFinite.Min(Math.Abs);
                double max = nonzeroFinite.Max(Math.Abs);
                intMode = nonzeroFinite.All(v => v == Math.Ceiling(v));

                // Torch's thresholds: a wide dynamic range or a huge value needs an exponent; so does a
                // tiny one, except that whole numbers are never tiny.
                sciMode = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
                foreach (double value in nonzeroFinite)
                {
                    int length = sciMode ? PythonFloatFormat.Scientific(value, precision).Length
                        : intMode ? PythonFloatFormat.Fixed(value, 0).Length + 1 // room for the trailing "."
                        : PythonFloatFormat.Fixed(value, precision).Length;
                    Width = Math.Max(Width, length);
                }
            }
        }

        // An explicit setting wins over the automatic choice, but keeps the width measured above, as torch does.
        if (options.SciMode is { } forced)
            sciMode = forced;
    }

    /// <summary>The width every element is padded to.</summary>
    public int Width { get; }

    /// <summary>The element at <paramref name="flatIndex"/>, right-aligned to <see cref="Width"/>.</summary>
    public string Format(long flatIndex)
    {
        string text;
        if (!floating)
        {
            text = Plain(flatIndex);
        }
        else
        {
            double value = ReadFloat(flatIndex);
            if (sciMode)
                text = PythonFloatFormat.Scientific(value, precision);
            else if (intMode)
                text = double.IsFinite(value) ? PythonFloatFormat.Fixed(value, 0) + "." : PythonFloatFormat.Fixed(value, 0);
            else
                text = PythonFloatFormat.Fixed(value, precision);
        }

        return text.PadLeft(Width);
    }

    /// <summary>Python's <c>str()</c> of an integer or bool element.</summary>
    private string Plain(long flatIndex) =>
        tensor.DType == DType.Bool
            ? (tensor.GetBool(flatIndex) ? "True" : "False")
            : tensor.GetInt64(flatIndex).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Torch prints float16 and bfloat16 through float32, and float32 as the double Python gets from
    /// <c>.tolist()</c>; narrowing to float32 makes an implementation that hands back a wider double
    /// print what the stored float32 would.
    /// </summary>
    private double ReadFloat(long flatIndex)
    {
        double value = tensor.GetDouble(flatIndex);
        return tensor.DType == DType.Float64 ? value : (float)value;
    }
}
