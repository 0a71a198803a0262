using System.Text.Json.Nodes;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;
using F = Graphport.Functional;

namespace Graphport.GpuBench;

/// <summary>
/// ops.json's index_check: an embedding id past its table on the CUDA backend must fail the call with
/// <see cref="DataFaultException"/> (the device's index check, kernels/Cuda/prelude.cu's gp_checked_index) and keep
/// the CUDA context whole: the next call, with good ids, must compute what the CPU does. Before the check such an id
/// read outside the table, a fault the driver keeps for the whole process. Without a device, the CPU twin.
/// </summary>
public static class IndexCheckProbe
{
    private const long Rows = 50;

    public static JsonObject Run(BenchContext context)
    {
        var record = new JsonObject { ["program"] = $"embedding(ids int64[4, 7], table float32[{Rows}, 16]) * 2, then ids[1, 2] = {Rows}" };
        try
        {
            Torch.ManualSeed(77);
            var table = Torch.Randn(Rows, 16);
            var ids = Torch.Randint(0, Rows, 4, 7);
            var program = new OpCase("index_check", a => F.Embedding(a[0], a[1]) * 2.0, () => [ids, table]).Export([ids, table]);
            var log = new List<string>();
            IExecutionBackend backend = context.Device is null ? new CpuTwinBackend() : context.NewCudaBackend(log, o => o);
            record["backend"] = backend.Name;
            using var compiled = backend.Compile(program);
            var values = ids.ToArray<long>();
            values[9] = Rows;
            bool refused;
            try
            {
                compiled.Run([Tensor.FromArray(values, 4, 7), table]);
                refused = false;
                record["problem"] = $"a call with id {Rows} of a {Rows}-row table ran";
            }
            catch (DataFaultException e)
            {
                refused = true;
                record["message"] = JsonOut.Cap(e.Message, 500);
            }
            record["refused"] = refused;
            using var reference = new CpuBackend().Compile(program);
            var comparison = OutputComparison.Of(reference.Run([ids, table]), compiled.Run([ids, table]));
            comparison.WriteTo(record, 1e-6);
            record["passed"] = refused && comparison.Passes(1e-6);
        }
        catch (Exception e)
        {
            record["passed"] = false;
            record["error"] = JsonOut.Error(e);
        }
        return record;
    }
}
