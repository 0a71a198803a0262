using System.Globalization;

namespace Graphport.Operators;

/// <summary>Recursive-descent parser for ATen schema strings; errors name the position and what was expected.</summary>
internal sealed class SchemaParser(string text, string defaultNamespace)
{
    private int pos;

    public OpSchema Parse()
    {
        SkipSpace();
        string qualified = ReadWhile(c => char.IsLetterOrDigit(c) || c is '_' or ':' or '.');
        if (qualified.Length == 0) throw Error("an operator name");
        string ns = defaultNamespace;
        int sep = qualified.IndexOf("::", StringComparison.Ordinal);
        if (sep >= 0)
        {
            ns = qualified[..sep];
            qualified = qualified[(sep + 2)..];
        }
        string name = qualified, overload = "";
        int dot = qualified.IndexOf('.');
        if (dot >= 0)
        {
            name = qualified[..dot];
            overload = qualified[(dot + 1)..];
        }
        if (name.Length == 0 || !IsIdentifier(name)) throw Error("an operator name");
        Expect('(');
        var args = new List<SchemaArgument>();
        bool kwargOnly = false;
        SkipSpace();
        if (Peek() != ')')
        {
            while (true)
            {
                SkipSpace();
                if (Peek() == '*')
                {
                    pos++;
                    kwargOnly = true;
                }
                else
                {
                    args.Add(ParseArgument(kwargOnly));
                }
                SkipSpace();
                if (Peek() == ',')
                {
                    pos++;
                    continue;
                }
                break;
            }
        }
        Expect(')');
        SkipSpace();
        Expect('-');
        Expect('>');
        var returns = ParseReturns();
        SkipSpace();
        if (pos != text.Length) throw Error("the end of the schema");
        var seen = new HashSet<string>();
        foreach (var a in args)
            if (!seen.Add(a.Name)) throw new FormatException($"Schema \"{text}\" declares argument \"{a.Name}\" twice; each argument needs its own name.");
        return new OpSchema(ns, name, overload, args, returns);
    }

    private SchemaArgument ParseArgument(bool kwargOnly)
    {
        var (type, alias) = ParseType();
        SkipSpace();
        string name = ReadWhile(c => char.IsLetterOrDigit(c) || c == '_');
        if (name.Length == 0) throw Error("an argument name");
        SkipSpace();
        if (Peek() != '=') return new SchemaArgument(name, type, alias, false, null, null, kwargOnly);
        pos++;
        SkipSpace();
        string defaultText = ReadDefault().Trim();
        if (defaultText.Length == 0) throw Error($"a default value for \"{name}\"");
        var value = ParseDefault(defaultText, type);
        // native_functions.yaml writes a loss's default reduction as Mean; torch's schemas print the number.
        if (type.Base == "int" && defaultText == "Mean") defaultText = value!.ToString()!;
        return new SchemaArgument(name, type, alias, true, value, defaultText, kwargOnly);
    }

    private (SchemaType Type, AliasInfo? Alias) ParseType()
    {
        SkipSpace();
        string baseName = ReadWhile(c => char.IsLetterOrDigit(c) || c == '_');
        if (baseName.Length == 0) throw Error("a type");
        AliasInfo? alias = null;
        if (Peek() == '(')
        {
            pos++;
            int close = text.IndexOf(')', pos);
            if (close < 0) throw Error("')' closing the alias annotation");
            string inner = text[pos..close].Trim();
            pos = close + 1;
            var parts = inner.Split("->");
            string head = parts[0].Trim();
            bool write = head.EndsWith('!');
            alias = new AliasInfo(head.TrimEnd('!').Trim(), write, parts.Length > 1 ? parts[1].Trim() : null);
        }
        bool elementOptional = false, isList = false, optional = false;
        int? fixedSize = null;
        if (Peek() == '?' && PeekAt(1) == '[')
        {
            pos++;
            elementOptional = true;
        }
        if (Peek() == '[')
        {
            pos++;
            string size = ReadWhile(char.IsDigit);
            Expect(']');
            isList = true;
            if (size.Length > 0) fixedSize = int.Parse(size, CultureInfo.InvariantCulture);
        }
        if (Peek() == '?')
        {
            pos++;
            optional = true;
        }
        return (new SchemaType(baseName, optional, isList, fixedSize, elementOptional), alias);
    }

    private List<SchemaReturn> ParseReturns()
    {
        SkipSpace();
        var result = new List<SchemaReturn>();
        if (Peek() != '(')
        {
            var (type, alias) = ParseType();
            result.Add(new SchemaReturn(null, type, alias));
            return result;
        }
        pos++;
        SkipSpace();
        if (Peek() == ')')
        {
            pos++;
            return result;
        }
        while (true)
        {
            var (type, alias) = ParseType();
            SkipSpace();
            string name = ReadWhile(c => char.IsLetterOrDigit(c) || c == '_');
            result.Add(new SchemaReturn(name.Length == 0 ? null : name, type, alias));
            SkipSpace();
            if (Peek() == ',')
            {
                pos++;
                continue;
            }
            Expect(')');
            return result;
        }
    }

    private string ReadDefault()
    {
        int start = pos, depth = 0;
        char quote = '\0';
        while (pos < text.Length)
        {
            char c = text[pos];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (c is '[' or '(') depth++;
            else if (c is ']' or ')')
            {
                if (depth == 0) break;
                depth--;
            }
            else if (c == ',' && depth == 0) break;
            pos++;
        }
        return text[start..pos];
    }

    internal static object? ParseDefault(string value, SchemaType type)
    {
        if (value == "None") return null;
        if (value == "True") return true;
        if (value == "False") return false;
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            string inner = value[1..^1].Trim();
            if (inner.Length == 0) return Array.Empty<long>();
            var parts = inner.Split(',', StringSplitOptions.TrimEntries);
            if (parts.All(p => long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
                return parts.Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        }
        if ((value.StartsWith('"') && value.EndsWith('"')) || (value.StartsWith('\'') && value.EndsWith('\'')))
            return value[1..^1];
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
        {
            if (type.Base == "float") return (double)l;
            if (type.IsList && type.FixedSize is int n) return Enumerable.Repeat(l, n).ToArray();
            return l;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        if (value is "inf") return double.PositiveInfinity;
        if (value is "-inf") return double.NegativeInfinity;
        // A dtype default (randint's ScalarType? dtype=long) becomes the DType the binder passes on.
        if (type.Base == "ScalarType" && DTypeInfo.TryParseTorchName("torch." + value, out var dtype)) return dtype;
        // A loss's reduction (int reduction=Mean) is the number the op takes (at::Reduction).
        if (type.Base == "int" && value is "Mean") return LossReduction.Mean;
        // Other enum-like defaults (contiguous_format) are kept as written.
        return value;
    }

    private static bool IsIdentifier(string s) => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');

    private char Peek() => pos < text.Length ? text[pos] : '\0';

    private char PeekAt(int offset) => pos + offset < text.Length ? text[pos + offset] : '\0';

    private void SkipSpace()
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
    }

    private string ReadWhile(Func<char, bool> predicate)
    {
        int start = pos;
        while (pos < text.Length && predicate(text[pos])) pos++;
        return text[start..pos];
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek() != c) throw Error($"'{c}'");
        pos++;
    }

    private FormatException Error(string expected) =>
        new($"Cannot parse operator schema \"{text}\": expected {expected} at position {pos}" +
            (pos < text.Length ? $" (found '{text[pos]}')." : " (found the end)."));
}
