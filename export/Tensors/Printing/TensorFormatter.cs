using System.Globalization;
using System.Text;

namespace Graphport;

/// <summary>
/// Renders a tensor exactly as Python's <c>repr(tensor)</c> does for a CPU tensor
/// (<c>torch/_tensor_str.py</c>), so that printed constants, errors and graph dumps read the same as
/// torch's. This class lays out brackets, line wrapping, summarization and suffixes;
/// <see cref="ElementFormatter"/> decides how each number looks.
/// </summary>
public static class TensorFormatter
{
    private const string Prefix = "tensor(";

    /// <summary>Formats with torch's default print options.</summary>
    /// <param name="suffix">Extra text torch appends after the data, e.g. <c>grad_fn=&lt;AddBackward0&gt;</c>.</param>
    public static string Format(ITensorElements tensor, string? suffix = null) =>
        Format(tensor, TensorPrintOptions.Default, suffix);

    /// <summary>Formats as torch would after <c>torch.set_printoptions(...)</c> with <paramref name="options"/>.</summary>
    /// <remarks><paramref name="suffix"/> has no default so that <c>Format(t, null)</c> stays unambiguous.</remarks>
    public static string Format(ITensorElements tensor, TensorPrintOptions options, string? suffix)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(options);

        long[] shape = tensor.Shape;
        long numel = 1;
        foreach (long size in shape)
        {
            if (size < 0)
                throw new ArgumentException($"Shape ({string.Join(", ", shape)}) has a negative size.", nameof(tensor));
            numel = checked(numel * size);
        }

        int indent = Prefix.Length;
        var suffixes = new List<string>();
        string body;
        if (numel == 0)
        {
            // "[]" cannot show the shape, so any shape but (0,) is spelled out, as NumPy does; nor
            // can it show the element type, so every dtype but the default one is named.
            if (shape.Length != 1)
                suffixes.Add("size=" + PythonTuple(shape));
            if (tensor.DType != DTypeInfo.DefaultFloat)
                suffixes.Add("dtype=" + tensor.DType.TorchName());
            body = "[]";
        }
        else
        {
            // int64 and bool are recognizable from how their elements print; float32 and complex64 are the defaults.
            if (tensor.DType is not (DTypeInfo.DefaultFloat or DType.Complex64 or DType.Int64 or DType.Bool))
                suffixes.Add("dtype=" + tensor.DType.TorchName());
            body = new Layout(tensor, shape, numel, options).Render(indent);
        }

        if (suffix is not null)
            suffixes.Add(suffix);
        return AddSuffixes(Prefix + body, suffixes, indent, options.LineWidth);
    }

    /// <summary>
    /// Torch's <c>_add_suffixes</c>: each suffix goes on the last line unless that would pass the line
    /// width, in which case it starts a new line under the data. The length estimate carries torch's
    /// off-by-two (it counts two characters more than the last line has) so that wrapping matches.
    /// </summary>
    private static string AddSuffixes(string text, List<string> suffixes, int indent, int lineWidth)
    {
        var result = new StringBuilder(text);
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > lineWidth)
            {
                result.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                result.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }

        return result.Append(')').ToString();
    }

    /// <summary>Python's <c>str(tuple(shape))</c>: <c>(0, 3)</c>, and <c>(0,)</c> for one element.</summary>
    private static string PythonTuple(long[] shape) =>
        shape.Length == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";

    /// <summary>The nested-bracket layout of one non-empty tensor.</summary>
    private sealed class Layout
    {
        private readonly long[] shape;
        private readonly long[] strides;
        private readonly TensorPrintOptions options;
        private readonly bool summarize;
        private readonly ElementFormatter formatter;
        // A complex tensor's parts are formatted as two real tensors, each with its own notation and width (torch's
        // real and imaginary _Formatter); formatter is then the real part's.
        private readonly ElementFormatter? imaginaryFormatter;

        public Layout(ITensorElements tensor, long[] shape, long numel, TensorPrintOptions options)
        {
            this.shape = shape;
            this.options = options;
            summarize = numel > options.Threshold;

            strides = new long[shape.Length];
            long stride = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                strides[d] = stride;
                stride *= shape[d];
            }

            // Width and notation come only from the elements that will be shown, so a summarized
            // tensor's hidden middle cannot widen its columns.
            if (tensor.DType.IsComplex())
            {
                formatter = new ElementFormatter(new ComplexPart(tensor, imaginary: false), ShownFlatIndices(0, 0), options);
                imaginaryFormatter = new ElementFormatter(new ComplexPart(tensor, imaginary: true), ShownFlatIndices(0, 0), options);
            }
            else
            {
                formatter = new ElementFormatter(tensor, ShownFlatIndices(0, 0), options);
            }
        }

        /// <summary>Characters one element takes: a complex one is both parts and the "j".</summary>
        private int ElementWidth => formatter.Width + (imaginaryFormatter is { } i ? i.Width + 1 : 0);

        /// <summary>One element; a complex one as torch joins it, <c>1.5000-2.0000j</c> (the sign from the imaginary part).</summary>
        private string FormatElement(long flatIndex)
        {
            if (imaginaryFormatter is null) return formatter.Format(flatIndex);
            string real = formatter.Format(flatIndex);
            string imaginary = (imaginaryFormatter.Format(flatIndex) + "j").TrimStart();
            return imaginary[0] is '+' or '-' ? real + imaginary : real + "+" + imaginary;
        }

        public string Render(int indent) => Render(0, 0, indent);

        /// <summary>Whether dimension <paramref name="dim"/> is cut to its edge items with a <c>...</c> between.</summary>
        private bool Elides(int dim) => summarize && shape[dim] > 2L * options.EdgeItems;

        /// <summary>
        /// The indices along <paramref name="dim"/> that are shown; null marks where the <c>...</c> goes.
        /// </summary>
        private IEnumerable<long?> ShownIndices(int dim)
        {
            long size = shape[dim];
            if (!Elides(dim))
            {
                for (long i = 0; i < size; i++)
                    yield return i;
                yield break;
            }

            for (long i = 0; i < options.EdgeItems; i++)
                yield return i;
            yield return null;
            for (long i = size - options.EdgeItems; i < size; i++)
                yield return i;
        }

        private IEnumerable<long> ShownFlatIndices(int dim, long offset)
        {
            if (dim == shape.Length)
            {
                yield return offset;
                yield break;
            }

            foreach (long? index in ShownIndices(dim))
            {
                if (index is not { } i)
                    continue;
                foreach (long flat in ShownFlatIndices(dim + 1, offset + i * strides[dim]))
                    yield return flat;
            }
        }

        /// <summary>
        /// The sub-tensor starting at <paramref name="offset"/> that spans dimensions
        /// <paramref name="dim"/> onward; <paramref name="indent"/> is the column of its opening bracket.
        /// </summary>
        private string Render(int dim, long offset, int indent)
        {
            int remainingDims = shape.Length - dim;
            if (remainingDims == 0)
                return FormatElement(offset);
            if (remainingDims == 1)
                return RenderRow(dim, offset, indent);

            var slices = ShownIndices(dim)
                .Select(index => index is { } i ? Render(dim + 1, offset + i * strides[dim], indent + 1) : "...");
            // One blank line per dimension below the next: 3-D blocks are separated by one empty line.
            string separator = "," + new string('\n', remainingDims - 1) + new string(' ', indent + 1);
            return "[" + string.Join(separator, slices) + "]";
        }

        /// <summary>The innermost dimension: elements joined by ", ", wrapped to the line width.</summary>
        private string RenderRow(int dim, long offset, int indent)
        {
            // Each element occupies its width plus ", "; a row holds as many as fit after the indent.
            int elementLength = ElementWidth + 2;
            int perLine = Math.Max(1, (int)Math.Floor((double)(options.LineWidth - indent) / elementLength));

            var items = ShownIndices(dim)
                .Select(index => index is { } i ? FormatElement(offset + i * strides[dim]) : " ...")
                .ToList();
            var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
    }
}
