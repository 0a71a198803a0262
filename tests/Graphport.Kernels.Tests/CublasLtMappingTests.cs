using Graphport.Kernels.Codegen;
using Graphport.Kernels.Interop.CublasLt;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

public class CublasLtMappingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Column_major_arguments_compute_the_row_major_product_for_every_layout(int seed)
    {
        var random = new Random(seed);
        long batch = random.Next(1, 3), m = random.Next(1, 6), n = random.Next(1, 6), k = random.Next(1, 6);
        bool aColumnMajor = random.Next(2) == 0, bColumnMajor = random.Next(2) == 0;
        var aData = Enumerable.Range(0, (int)(batch * m * k)).Select(_ => random.NextDouble() - 0.5).ToArray();
        var bData = Enumerable.Range(0, (int)(batch * k * n)).Select(_ => random.NextDouble() - 0.5).ToArray();
        var aBuf = new BufferRef(0, "a", DType.Float32, aData.Length, BufferKind.Intermediate);
        var bBuf = new BufferRef(1, "b", DType.Float32, bData.Length, BufferKind.Intermediate);
        var dBuf = new BufferRef(2, "d", DType.Float32, batch * m * n, BufferKind.Intermediate);
        var a = aColumnMajor ? new MatrixOperand(aBuf, 0, m, k, 1, m, m * k) : new MatrixOperand(aBuf, 0, m, k, k, 1, m * k);
        var b = bColumnMajor ? new MatrixOperand(bBuf, 0, k, n, 1, k, k * n) : new MatrixOperand(bBuf, 0, k, n, n, 1, k * n);
        var problem = new MatmulProblem(batch, m, n, k, a, b, new MatrixOperand(dBuf, 0, m, n, n, 1, m * n), null, MatmulActivation.None);

        var args = CublasLtMapping.Map(problem);
        var columnMajor = CublasLtMapping.EvaluateColumnMajor(args, i => bData[i], i => aData[i]);
        for (long bi = 0; bi < batch; bi++)
            for (long i = 0; i < m; i++)
                for (long j = 0; j < n; j++)
                {
                    double expected = 0;
                    for (long kk = 0; kk < k; kk++) expected += aData[a.Index(bi, i, kk)] * bData[b.Index(bi, kk, j)];
                    Assert.Equal(expected, columnMajor[problem.D.Index(bi, i, j)], 1e-12);
                }
        Assert.True(args.A.LeadingDimension >= args.A.Rows && args.B.LeadingDimension >= args.B.Rows && args.D.LeadingDimension >= args.D.Rows);
    }

    [Fact]
    public void A_linear_layers_bias_and_relu_become_the_relu_bias_epilogue_along_the_rows_of_the_transposed_result()
    {
        var w = new BufferRef(0, "w", DType.Float32, 7 * 12, BufferKind.Weight);
        var x = new BufferRef(1, "x", DType.Float32, 5 * 12, BufferKind.Input);
        var bias = new BufferRef(2, "bias", DType.Float32, 7, BufferKind.Weight);
        var d = new BufferRef(3, "d", DType.Float32, 35, BufferKind.Intermediate);
        var problem = new MatmulProblem(1, 5, 7, 12, new MatrixOperand(x, 0, 5, 12, 12, 1, 0), new MatrixOperand(w, 0, 12, 7, 1, 12, 0),
            new MatrixOperand(d, 0, 5, 7, 7, 1, 0), new BiasOperand(bias, 0, 1), MatmulActivation.Relu);
        var args = CublasLtMapping.Map(problem);
        Assert.Equal(CublasLtEpilogue.ReluBias, args.Epilogue);
        Assert.Equal(CublasOperation.T, args.TransA);
        Assert.Equal(CublasOperation.N, args.TransB);
        Assert.Equal((7L, 5L, 12L), (args.M, args.N, args.K));
    }
}
