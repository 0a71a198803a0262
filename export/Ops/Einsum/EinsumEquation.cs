namespace Graphport;

/// <summary>
/// An Einsum equation resolved against its operands' ranks: each operand dim and each output dim as a label.
/// Letters are labels 0..51 in ASCII order ('A'..'Z', then 'a'..'z', so implicit outputs sort as numpy's do);
/// the dims an ellipsis covers are labels 52, 53, ..., right-aligned across operands as numpy broadcasts them.
/// </summary>
internal sealed class EinsumEquation
{
    private const int LetterCount = 52;
    private const string Ellipsis = "...";

    private EinsumEquation(int[][] operands, int[] output)
    {
        Operands = operands;
        Output = output;
    }

    /// <summary>Each operand's dims as labels, in the operand's dim order.</summary>
    public IReadOnlyList<int[]> Operands { get; }

    /// <summary>The output's dims as labels (explicit after "->", or implicit: the ellipsis dims, then the letters used once, sorted).</summary>
    public int[] Output { get; }

    /// <summary>"j" for a letter, "...[0]" for the first dim an ellipsis covers.</summary>
    public static string Name(int label) => label < LetterCount ? LetterOf(label).ToString() : $"...[{label - LetterCount}]";

    /// <summary>
    /// Parses <paramref name="equation"/> for operands of the given ranks; <paramref name="fail"/> turns a problem
    /// ("has a '.' outside '...' in input 0's term") into the exception to throw.
    /// </summary>
    public static EinsumEquation Parse(string equation, IReadOnlyList<int> ranks, Func<string, Exception> fail)
    {
        // ONNX's own tests write spaces around terms ("... ii ->... i").
        string text = string.Concat(equation.Where(ch => !char.IsWhiteSpace(ch)));
        if (text.Length == 0) throw fail("is empty");
        var sides = text.Split("->");
        if (sides.Length > 2) throw fail("has more than one '->'");
        var terms = sides[0].Split(',');
        if (terms.Length != ranks.Count)
            throw fail($"has {terms.Length} input term(s) but the node has {ranks.Count} input(s); write one comma-separated term per input");

        var parsed = terms.Select((term, i) => Tokenize(term, $"input {i}'s term '{term}'", fail)).ToArray();
        var ellipsisDims = new int[terms.Length];
        for (int i = 0; i < terms.Length; i++)
        {
            var (letters, hasEllipsis) = parsed[i];
            string term = $"input {i}'s term '{terms[i]}'";
            if (hasEllipsis ? letters.Count(l => l >= 0) > ranks[i] : letters.Count != ranks[i])
                throw fail($"has {term} with {letters.Count(l => l >= 0)} label(s), but input {i} has {ranks[i]} dim(s)" +
                    (hasEllipsis ? "" : "; add '...' to cover the other dims or fix the term"));
            ellipsisDims[i] = hasEllipsis ? ranks[i] - letters.Count(l => l >= 0) : 0;
        }
        int ellipsis = ellipsisDims.DefaultIfEmpty(0).Max();
        var operands = new int[terms.Length][];
        for (int i = 0; i < terms.Length; i++) operands[i] = Expand(parsed[i].Labels, ellipsis, ellipsisDims[i]);

        int[] output;
        if (sides.Length == 2)
        {
            var (labels, hasEllipsis) = Tokenize(sides[1], $"output term '{sides[1]}'", fail);
            var seen = operands.SelectMany(o => o).ToHashSet();
            foreach (var label in labels.Where(l => l >= 0))
            {
                if (!seen.Contains(label)) throw fail($"has the output label '{LetterOf(label)}', which no input term uses");
                if (labels.Count(l => l == label) > 1) throw fail($"repeats the output label '{LetterOf(label)}'; each output label appears once");
            }
            if (ellipsis > 0 && !hasEllipsis)
                throw fail($"covers {ellipsis} dim(s) with '...' in its inputs but has no '...' in its output; add '...' to the output where those dims go");
            output = Expand(labels, ellipsis, ellipsis);
        }
        else
        {
            var once = operands.SelectMany(o => o).Where(l => l < LetterCount).GroupBy(l => l).Where(g => g.Count() == 1).Select(g => g.Key).Order();
            output = Enumerable.Range(LetterCount, ellipsis).Concat(once).ToArray();
        }
        return new EinsumEquation(operands, output);
    }

    /// <summary>A term's labels in order, with -1 where its "..." stands.</summary>
    private static (List<int> Labels, bool HasEllipsis) Tokenize(string term, string where, Func<string, Exception> fail)
    {
        var labels = new List<int>();
        bool hasEllipsis = false;
        for (int k = 0; k < term.Length; k++)
        {
            char ch = term[k];
            if (char.IsAsciiLetter(ch))
            {
                labels.Add(ch <= 'Z' ? ch - 'A' : ch - 'a' + 26);
                continue;
            }
            if (ch == '.')
            {
                if (string.CompareOrdinal(term, k, Ellipsis, 0, Ellipsis.Length) != 0) throw fail($"has a '.' that is not part of '...' in {where}");
                if (hasEllipsis) throw fail($"has more than one '...' in {where}");
                hasEllipsis = true;
                labels.Add(-1);
                k += Ellipsis.Length - 1;
                continue;
            }
            throw fail($"has the character '{ch}' in {where}; Einsum labels are the letters a-z and A-Z, with at most one '...' per term");
        }
        return (labels, hasEllipsis);
    }

    /// <summary>Replaces a term's "..." by the last <paramref name="covered"/> of the <paramref name="ellipsis"/> ellipsis labels.</summary>
    private static int[] Expand(List<int> labels, int ellipsis, int covered) =>
        labels.SelectMany(l => l >= 0 ? [l] : Enumerable.Range(LetterCount + ellipsis - covered, covered)).ToArray();

    private static char LetterOf(int label) => label < 26 ? (char)('A' + label) : (char)('a' + label - 26);
}
