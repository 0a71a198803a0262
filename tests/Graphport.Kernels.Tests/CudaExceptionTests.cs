using Graphport.Kernels.Interop.Driver;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Which driver errors end a process's CUDA work: after a kernel faults every later call fails, so a bench or a
/// silo has to start over in a new process, while out of memory or a bad argument leaves the context usable.
/// </summary>
public sealed class CudaExceptionTests
{
    [Theory]
    [InlineData(700)] // CUDA_ERROR_ILLEGAL_ADDRESS
    [InlineData(702)] // CUDA_ERROR_LAUNCH_TIMEOUT
    [InlineData(710)] // CUDA_ERROR_ASSERT
    [InlineData(714)] // CUDA_ERROR_HARDWARE_STACK_ERROR
    [InlineData(715)] // CUDA_ERROR_ILLEGAL_INSTRUCTION
    [InlineData(716)] // CUDA_ERROR_MISALIGNED_ADDRESS
    [InlineData(717)] // CUDA_ERROR_INVALID_ADDRESS_SPACE
    [InlineData(718)] // CUDA_ERROR_INVALID_PC
    [InlineData(719)] // CUDA_ERROR_LAUNCH_FAILED
    public void A_faulting_kernel_loses_the_context(int code)
    {
        var error = new CudaException((CUresult)code, "cuStreamSynchronize");
        Assert.True(error.ContextLost);
    }

    [Theory]
    [InlineData(1)]   // CUDA_ERROR_INVALID_VALUE
    [InlineData(2)]   // CUDA_ERROR_OUT_OF_MEMORY
    [InlineData(200)] // CUDA_ERROR_INVALID_IMAGE
    [InlineData(701)] // CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES: the launch never ran
    [InlineData(713)] // CUDA_ERROR_NOT_MAPPED_AS_POINTER
    [InlineData(720)] // CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE
    [InlineData(901)] // CUDA_ERROR_STREAM_CAPTURE_INVALIDATED
    public void Other_errors_leave_the_context_usable(int code)
    {
        Assert.False(new CudaException((CUresult)code, "cuLaunchKernel").ContextLost);
    }

    [Fact]
    public void A_lost_context_is_found_however_deep_it_is_wrapped()
    {
        var fault = new CudaException(CUresult.IllegalAddress, "cuEventSynchronize");
        var wrapped = new InvalidOperationException("replay failed", new AggregateException(fault));

        Assert.Same(fault, CudaException.FindContextLoss(wrapped));
        Assert.Null(CudaException.FindContextLoss(new InvalidOperationException("x", new CudaOutOfMemoryException("cuMemAlloc_v2", null))));
        Assert.Null(CudaException.FindContextLoss(new ArgumentException("wrong size")));
    }

    [Fact]
    public void Out_of_memory_leaves_the_context_usable()
    {
        Assert.False(new CudaOutOfMemoryException("cuMemAlloc_v2", "4.0 GiB").ContextLost);
    }
}
