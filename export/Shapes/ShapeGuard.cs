namespace Graphport.Shapes;

/// <summary>A statement about sizes that tracing assumed, and the user line that made it assume so.</summary>
public sealed record ShapeGuard(SymBoolExpr Expr, string? Location);
