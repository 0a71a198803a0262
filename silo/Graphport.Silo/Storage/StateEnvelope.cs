namespace Graphport.Silo;

/// <summary>
/// One grain state file: the etag that guards concurrent writers, which grain and state it belongs to (for people
/// reading the folder, and to catch a file that was moved), and the state in Orleans' binary serialization.
/// </summary>
internal sealed record StateEnvelope(string ETag, string GrainId, string StateName, string StateType, DateTimeOffset WrittenAt, byte[] Data);
