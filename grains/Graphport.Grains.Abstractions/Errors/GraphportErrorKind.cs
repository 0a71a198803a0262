namespace Graphport.Grains;

/// <summary>What kind of failure a cluster call met; callers branch on this, people read the message.</summary>
[GenerateSerializer, Alias("Graphport.GraphportErrorKind")]
public enum GraphportErrorKind
{
    /// <summary>The request itself is malformed (bad name, unknown dtype, missing inputs).</summary>
    InvalidRequest,

    /// <summary>No such program, version, zoo model, registered module or batch.</summary>
    NotFound,

    /// <summary>The traced code needs more than the dynamic shapes allow; the message ends with suggested fixes.</summary>
    ConstraintViolation,

    /// <summary>Export refused the module (graph break, unsupported code, verification failure).</summary>
    ExportFailed,

    /// <summary>Inputs do not match the program (dtype, rank, sizes, ranges), with torch's message.</summary>
    InvalidInput,

    /// <summary>The program failed while running.</summary>
    ExecutionFailed,

    /// <summary>Grain state or blob storage failed, or stored data is damaged.</summary>
    StorageFailed,

    /// <summary>The operation is not available in this build (e.g. no codec for uploaded programs yet).</summary>
    Unsupported,

    /// <summary>A concurrent writer changed the program first; retry.</summary>
    Conflict,

    /// <summary>Anything else; the message names the original exception.</summary>
    Internal,

    /// <summary>The cluster could not be reached (no silo, no gateway, storage server down).</summary>
    Unavailable,
}
