namespace Graphport.Kernels.Interop.CublasLt;

/// <summary>cublasComputeType_t: accumulate in fp32, optionally through TF32 tensor cores.</summary>
public enum CublasComputeType
{
    Compute32F = 68,
    Compute32FFastTf32 = 77,
    Compute64F = 70,
}

/// <summary>cudaDataType_t values for the element types the backend multiplies.</summary>
public enum CudaDataType
{
    R32F = 0,
    R64F = 1,
    R16F = 2,
    R16BF = 14,
}

/// <summary>cublasOperation_t.</summary>
public enum CublasOperation
{
    N = 0,
    T = 1,
}

/// <summary>cublasLtMatmulDescAttributes_t, the ones set here.</summary>
public enum MatmulDescAttribute
{
    ComputeType = 0,
    ScaleType = 1,
    TransA = 3,
    TransB = 4,
    Epilogue = 7,
    BiasPointer = 8,
    BiasDataType = 26,
}

/// <summary>cublasLtMatrixLayoutAttribute_t.</summary>
public enum MatrixLayoutAttribute
{
    Type = 0,
    Order = 1,
    Rows = 2,
    Cols = 3,
    LeadingDimension = 4,
    BatchCount = 5,
    StridedBatchOffset = 6,
}

/// <summary>cublasLtMatmulPreferenceAttributes_t.</summary>
public enum MatmulPreferenceAttribute
{
    SearchMode = 0,
    MaxWorkspaceBytes = 1,
    MinAlignmentABytes = 5,
    MinAlignmentBBytes = 6,
    MinAlignmentCBytes = 7,
    MinAlignmentDBytes = 8,
}

/// <summary>cublasLtEpilogue_t: what cuBLASLt applies to the product before storing it.</summary>
public enum CublasLtEpilogue : uint
{
    Default = 1,
    Relu = 2,
    Bias = 4,
    ReluBias = 6,
    Gelu = 32,
    GeluBias = 36,
}
