using System.Reflection;

namespace Graphport.Analysis;

/// <summary>A break with the method and IL offset it was found at, which identify it when there is no PDB to give a line.</summary>
internal sealed record FoundBreak(GraphBreak Break, MethodBase Method, int Offset);
