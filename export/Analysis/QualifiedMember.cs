namespace Graphport.Analysis;

/// <summary>
/// A member named by strings (declaring type's full name, member name) rather than by a MemberInfo,
/// so a policy can name types from assemblies the engine does not reference.
/// </summary>
/// <param name="Type">Full name of the declaring type without generic arity, e.g. "System.Object".</param>
/// <param name="Member">Member name as it appears in metadata, e.g. "ReferenceEquals" or "get_Data".</param>
public sealed record QualifiedMember(string Type, string Member);
