using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// A method to inspect and which of its arguments (bit i = argument i, "this" being 0 for instance methods) carry
/// Item()-derived values from the caller. The same method is inspected once per distinct mask.
/// </summary>
internal readonly record struct CalleeRequest(MethodBase Method, ulong TaintedArguments);
