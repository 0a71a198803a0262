using System.Text.Json.Nodes;
using Graphport.Operators;
using Graphport.Tests.OpOracle;

namespace Graphport.OpReference;

/// <summary>
/// Writes op_cases.json: for every Core ATen op (and every op the decomposition oracle has inputs for) a list of
/// calls, each with its arguments as given (named by the schema, keyword-only ones marked), our CPU kernel's
/// results (or the error it raised), and the arguments it wrote in place. bench/torch/op_reference.py makes the
/// same calls in PyTorch and compares.
/// </summary>
internal static class OpCaseWriter
{
    /// <summary>Ops whose extra outputs are scratch buffers torch fills its own way (only these outputs are compared).</summary>
    private static readonly Dictionary<string, int[]> CheckedOutputs = new()
    {
        ["aten::_embedding_bag"] = [0],
    };

    public static (int Ops, int Cases, int Errors) Write(string path)
    {
        var ops = new JsonObject();
        var cases = new JsonArray();
        var uncovered = new JsonObject();
        int errors = 0;

        var core = CoreAtenOpset.All.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var oracle = Torch.Ops.All.Where(o => !o.IsCore).Select(o => o.Name).Where(n => OracleInputs.For(n) is { Count: > 0 }).OrderBy(n => n, StringComparer.Ordinal).ToList();
        foreach (var (name, source) in core.Select(n => (n, "core")).Concat(oracle.Select(n => (n, "decomposition_oracle"))))
        {
            if (!Torch.Ops.TryGet(name, out var op))
            {
                uncovered[name] = "not registered in Graphport";
                continue;
            }
            IReadOnlyList<OracleCase>? list;
            try
            {
                list = source == "core" ? CoreOpInputs.For(name) : OracleInputs.For(name);
            }
            catch (Exception e)
            {
                uncovered[name] = $"making its inputs failed: {Describe(e)}";
                continue;
            }
            if (list is null or { Count: 0 })
            {
                uncovered[name] = CoreOpInputs.Uncovered.TryGetValue(name, out var why) ? why : "no cases written";
                continue;
            }
            ops[name] = new JsonObject
            {
                ["torch_name"] = op.OpName,
                ["overload"] = op.Overload,
                ["schema"] = op.Schema.ToString(),
                ["core"] = op.IsCore,
                ["source"] = source,
                ["cases"] = list.Count,
            };
            for (int i = 0; i < list.Count; i++)
            {
                var record = Case(op, list[i], $"{name}/{i}");
                if (record.ContainsKey("error")) errors++;
                cases.Add(record);
            }
        }

        var document = new JsonObject
        {
            ["format"] = "graphport-op-cases/1",
            ["note"] = "Each case: the op's arguments as given (schema names; kwarg_only ones are passed by keyword), our CPU kernel's "
                + "outputs (pytree leaves) or the error it raised, and arguments it wrote in place. Values are one-key objects "
                + "naming their kind; tensors are {dtype, shape, data} with floats as exact doubles and nan/inf/-inf/-0.0 as strings.",
            ["core_ops_total"] = core.Count,
            ["core_ops_covered"] = core.Count(n => ops.ContainsKey(n)),
            ["ops"] = ops,
            ["uncovered"] = uncovered,
            ["cases"] = cases,
        };
        File.WriteAllText(path, document.ToJsonString() + "\n");
        return (ops.Count, cases.Count, errors);
    }

    private static JsonObject Case(OpOverload op, OracleCase c, string id)
    {
        var schema = op.Schema.Arguments;
        var record = new JsonObject
        {
            ["id"] = id,
            ["op"] = op.Name,
            ["description"] = c.Description,
            ["compare"] = c.Agreement == Agreement.Values ? "values" : "shape_dtype",
        };
        if (CheckedOutputs.TryGetValue(op.Name, out var only)) record["check_outputs"] = new JsonArray([.. only.Select(i => (JsonNode)i)]);
        try
        {
            if (c.Args.Length > schema.Count) throw new ArgumentException($"{c.Args.Length} arguments for a schema of {schema.Count}.");
            // The arguments are written before the call: in-place ops change their inputs.
            record["args"] = new JsonArray([.. c.Args.Select((a, i) => (JsonNode)new JsonObject
            {
                ["name"] = schema[i].Name,
                ["kwarg_only"] = schema[i].KwargOnly,
                ["value"] = ValueJson.Argument(a, schema[i].Type),
            })]);
        }
        catch (Exception e)
        {
            record["args_error"] = Describe(e);
            return record;
        }

        var args = c.CloneArgs();
        try
        {
            var result = op.Call(args);
            record["outputs"] = new JsonArray([.. ValueJson.Leaves(result).Select(v => (JsonNode)ValueJson.Value(v))]);
        }
        catch (Exception e)
        {
            record["error"] = Describe(e);
            return record;
        }

        var mutated = new JsonArray();
        for (int i = 0; i < args.Length; i++)
        {
            if (schema[i].Alias?.IsWrite == true && args[i] is Tensor written)
                mutated.Add(new JsonObject { ["index"] = i, ["name"] = schema[i].Name, ["value"] = ValueJson.Value(written) });
        }
        if (mutated.Count > 0) record["mutated"] = mutated;
        return record;
    }

    private static string Describe(Exception e)
    {
        var inner = e is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : e;
        string message = inner.Message.Split('\n')[0];
        return $"{inner.GetType().Name}: {(message.Length > 300 ? message[..300] + "..." : message)}";
    }
}
