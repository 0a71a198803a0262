using System.Text.Json.Nodes;

namespace Graphport.GpuBench;

/// <summary>Whether a compiled program fell back to the CPU, wholly or op by op, and what the backend said.</summary>
public sealed record Fallback(bool WholeProgramOnCpu, IReadOnlyList<string> HostOps, IReadOnlyList<string> Messages, string CompiledType)
{
    public bool Any => WholeProgramOnCpu || HostOps.Count > 0;

    public void WriteTo(JsonObject record)
    {
        record["fell_back_to_cpu"] = WholeProgramOnCpu;
        record["host_ops"] = JsonOut.Strings(HostOps);
        record["compiled_type"] = CompiledType;
        if (Messages.Count > 0) record["backend_messages"] = JsonOut.Strings(Messages.Select(m => JsonOut.Cap(m, 1000)));
    }
}
