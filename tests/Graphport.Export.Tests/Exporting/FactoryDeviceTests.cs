namespace Graphport.Tests.Exporting;

/// <summary>
/// torch.export writes the trace's device and pin_memory=False into every factory call it records (the *_like ones
/// take their input's device, so pin_memory only), and so does Graphport: the program prints as torch's does, and a
/// .pt2 loaded into torch says where each created tensor goes, which torch's move_to_device_pass needs to retarget it.
/// </summary>
public class FactoryDeviceTests
{
    private sealed class Factories : Module<Tensor, (Tensor, Tensor, Tensor, Tensor)>
    {
        public override (Tensor, Tensor, Tensor, Tensor) Forward(Tensor x) =>
            (x + Torch.Arange(4), Torch.Zeros(3), Torch.OnesLike(x), Torch.Full([2], 1.5));
    }

    [Fact]
    public void Factory_calls_print_the_cpu_device_and_pin_memory_as_torch_does()
    {
        var ep = Torch.Export(new Factories(), [Torch.Randn(2, 4)]);
        string printed = ep.ToString();

        Assert.Contains("torch.ops.aten.arange.default(4, device = device(type='cpu'), pin_memory = False)", printed);
        Assert.Contains("torch.ops.aten.zeros.default([3], device = device(type='cpu'), pin_memory = False)", printed);
        Assert.Contains("torch.ops.aten.ones_like.default(x, pin_memory = False)", printed);
        Assert.Contains("torch.ops.aten.full.default([2], 1.5, device = device(type='cpu'), pin_memory = False)", printed);
    }

    [Fact]
    public void Decomposed_factories_print_as_torchs_run_decompositions_writes_them()
    {
        var printed = Torch.Export(new Factories(), [Torch.Randn(2, 4)]).RunDecompositions().ToString();

        // PyTorch 2.14's run_decompositions() of the same module, line for line.
        Assert.Contains("torch.ops.aten.arange.start_step(0, 4, layout = torch.strided, device = device(type='cpu'), pin_memory = False)", printed);
        Assert.Contains("torch.ops.aten.full.default([3], 0, dtype = torch.float32, layout = torch.strided, device = device(type='cpu'), pin_memory = False)", printed);
        Assert.Contains("torch.ops.aten.full_like.default(x, 1, pin_memory = False, memory_format = torch.preserve_format)", printed);
        Assert.Contains("torch.ops.aten.full.default([2], 1.5, device = device(type='cpu'), pin_memory = False)", printed);
    }

    private sealed class Ranges : Module<Tensor, (Tensor, Tensor, Tensor, Tensor)>
    {
        public override (Tensor, Tensor, Tensor, Tensor) Forward(Tensor x) =>
            (x + Torch.Arange(x.Shape[1]), Torch.Arange(1, 5), Torch.Arange(0, 10, 3), Torch.Arange(0.5, 2.0));
    }

    [Fact]
    public void Each_arange_form_records_the_overload_torch_arange_does_and_all_decompose_to_start_step()
    {
        var x = Torch.Randn(2, 4);
        var ep = Torch.Export(new Ranges(), [x]);
        Assert.Equal(["arange", "arange.start", "arange.start_step", "arange.start"],
            ep.Graph.Nodes.Where(n => n.Op?.OpName == "arange").Select(n => n.Op!.Name["aten::".Length..]).ToArray());
        var core = ep.RunDecompositions();
        Assert.All(core.Graph.Nodes.Where(n => n.Op?.OpName == "arange"), n => Assert.Equal("aten::arange.start_step", n.Op!.Name));

        // The values agree in every form: eager, the exported program, and the decomposed one.
        foreach (var program in new[] { ep, core })
        {
            var (a, b, c, d) = ((Tensor, Tensor, Tensor, Tensor))program.Module().Invoke(x)!;
            Assert.True(a.AllClose(x + Torch.Tensor(new long[] { 0, 1, 2, 3 }), 0, 0));
            Assert.Equal(new long[] { 1, 2, 3, 4 }, b.ToArray<long>());
            Assert.Equal(new long[] { 0, 3, 6, 9 }, c.ToArray<long>());
            Assert.Equal(DType.Float32, d.DType);
            Assert.Equal(new[] { 0.5f, 1.5f }, d.ToArray<float>());
        }
    }

    [Fact]
    public void The_device_survives_a_save_and_load_and_the_program_still_runs()
    {
        var x = Torch.Randn(2, 4);
        var ep = Torch.Export(new Factories(), [x]);
        string path = Path.Combine(Path.GetTempPath(), $"factory-device-{Guid.NewGuid():N}.pt2");
        try
        {
            ep.Save(path);
            var loaded = ExportedProgram.Load(path);
            var arange = Assert.Single(loaded.Graph.Nodes, n => n.Op?.OpName == "arange");
            Assert.Equal(Device.Cpu, arange.Kwargs["device"]);
            Assert.Equal(false, arange.Kwargs["pin_memory"]);
            var (sum, zeros, ones, full) = ((Tensor, Tensor, Tensor, Tensor))loaded.Module().Invoke(x)!;
            Assert.True(sum.AllClose(x + Torch.Arange(4), 0, 0));
            Assert.Equal([3L], zeros.Shape.ToLongs());
            Assert.True(ones.AllClose(Torch.OnesLike(x), 0, 0));
            Assert.True(full.AllClose(Torch.Full([2], 1.5), 0, 0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_device_prints_as_pythons_repr()
    {
        Assert.Equal("device(type='cpu')", Device.Cpu.ToString());
        Assert.Equal("device(type='cuda', index=0)", new Device("cuda", 0).ToString());
    }
}
