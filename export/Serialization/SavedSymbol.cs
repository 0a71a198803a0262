using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>One symbol to recreate: its name, range, example value and (for messages) where it came from.</summary>
internal sealed record SavedSymbol(string Name, ValueRange Range, long? Hint, string? Source, Dim? Dim);
