using Graphport.Graphs;

namespace Graphport.Kernels.Backends;

/// <summary>The reference: the graph interpreter over the CPU kernels. Always available. Records compile and execute spans (<see cref="KernelTelemetry"/>).</summary>
public sealed class CpuBackend : IExecutionBackend
{
    private const string Device = "cpu";

    public string Name => "cpu";

    public ICompiledProgram Compile(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var activity = KernelTelemetry.StartCompile(Name, Device, program);
        return new Compiled(program);
    }

    private sealed class Compiled(ExportedProgram program) : ICompiledProgram
    {
        private readonly Dictionary<string, Tensor> state = program.StateDict.ToDictionary(kv => kv.Key, kv => kv.Value.Clone());

        public ExportedProgram Program { get; } = program;

        public object?[] Run(IReadOnlyList<Tensor> inputs)
        {
            using var activity = KernelTelemetry.StartExecute("cpu", Device);
            var values = new List<object?>();
            int user = 0;
            foreach (var spec in Program.GraphSignature.InputSpecs)
            {
                values.Add(spec.Kind switch
                {
                    InputKind.Parameter or InputKind.Buffer => state[spec.Target!],
                    InputKind.ConstantTensor => Program.Constants[spec.Target!],
                    InputKind.UserInput => inputs[user++],
                    _ => null,
                });
            }
            var outputs = GraphInterpreter.Run(Program.Graph, values);
            for (int i = 0; i < outputs.Length; i++)
            {
                var spec = Program.GraphSignature.OutputSpecs[i];
                if (spec.Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation && outputs[i] is Tensor t) state[spec.Target!] = t;
            }
            return ProgramPreparation.UserOutputs(Program, outputs);
        }

        public void Dispose() { }
    }
}
