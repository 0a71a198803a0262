using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Graphport.Analysis;

/// <summary>
/// Abstract interpretation of one method body: a forward dataflow over the evaluation stack, locals, arguments and
/// fields that tracks static types and Item() taint to a fixpoint, then one pass in IL order that reports breaks and
/// collects the user methods to inspect next. Reporting only after the fixpoint means each break is judged on the
/// final (joined) state, and comes out in IL order.
/// </summary>
internal sealed class MethodInterpreter
{
    private readonly MethodBase _method;
    private readonly ILMethodBody _body;
    private readonly GraphBreakPolicy _policy;
    private readonly TokenResolver _resolver;
    private readonly Func<CalleeRequest, bool?> _calleeReturnsTaint;
    private readonly ulong _taintedArguments;
    private readonly Type[] _argumentTypes;
    private readonly Dictionary<int, int> _indexOfOffset = [];
    private readonly AbstractState?[] _states;
    private readonly Stack<int> _worklist = new();

    private bool IsCaughtHere(int offset) =>
        _body.Regions.Any(r => r.CatchesExceptions && offset >= r.TryOffset && offset < r.TryOffset + r.TryLength);
    private readonly bool[] _queued;
    private bool _returnsTaint;

    // Filled only by the reporting pass.
    private bool _reporting;
    private readonly List<FoundBreak> _breaks = [];
    private readonly List<CalleeRequest> _callees = [];
    private readonly HashSet<CalleeRequest> _calleeSet = [];
    private readonly HashSet<Type> _notedTypes = [];

    /// <param name="calleeReturnsTaint">
    /// Whether a user callee, given which arguments are tainted, can return a tainted value; null when not known
    /// (recursion), in which case the result is assumed tainted if any argument is.
    /// </param>
    public MethodInterpreter(
        MethodBase method, ILMethodBody body, GraphBreakPolicy policy, TokenResolver resolver,
        ulong taintedArguments, Func<CalleeRequest, bool?> calleeReturnsTaint)
    {
        _method = method;
        _body = body;
        _policy = policy;
        _resolver = resolver;
        _taintedArguments = taintedArguments;
        _calleeReturnsTaint = calleeReturnsTaint;
        var parameters = method.GetParameters().Select(p => p.ParameterType);
        _argumentTypes = method.IsStatic ? parameters.ToArray() : [method.DeclaringType ?? typeof(object), .. parameters];
        for (var i = 0; i < body.Instructions.Length; i++)
            _indexOfOffset[body.Instructions[i].Offset] = i;
        _states = new AbstractState?[body.Instructions.Length];
        _queued = new bool[body.Instructions.Length];
    }

    public MethodAnalysis Run()
    {
        if (_body.Instructions.IsEmpty)
            return MethodAnalysis.Empty;

        Merge(0, AbstractState.Entry(_body.LocalTypes.Length, _argumentTypes.Length, _taintedArguments));
        while (_worklist.TryPop(out var index))
        {
            _queued[index] = false;
            var state = _states[index]!.Clone();
            var flow = Execute(index, state);
            Propagate(index, state, flow);
        }

        _reporting = true;
        foreach (var region in _body.Regions)
        {
            // A catch or filter is reported once, at the try block it guards: that is where control flow starts to depend on an exception.
            if (region.CatchesExceptions)
            {
                var location = SourceLocator.LocateStatement(_method, region.TryOffset, region.TryOffset + region.TryLength);
                Report(GraphBreakKind.ExceptionHandling, region.TryOffset, location);
            }
        }
        for (var i = 0; i < _body.Instructions.Length; i++)
        {
            if (_states[i] is { } state)
                Execute(i, state.Clone());
        }

        var ordered = _breaks.OrderBy(b => b.Offset).ToList();
        return new MethodAnalysis(ordered, _callees, _returnsTaint);
    }

    private void Propagate(int index, AbstractState state, Flow flow)
    {
        if (flow.FallsThrough && index + 1 < _states.Length)
            Merge(index + 1, state);
        foreach (var target in flow.Targets)
        {
            if (!_indexOfOffset.TryGetValue(target, out var targetIndex))
                continue;
            // leave empties the evaluation stack on its way out of a protected region.
            Merge(targetIndex, flow.ClearsStack ? state.WithStack([]) : state);
        }
    }

    private void Merge(int index, AbstractState incoming)
    {
        var existing = _states[index];
        if (existing is null)
            _states[index] = incoming.Clone();
        else if (!existing.JoinWith(incoming))
            return;
        if (!_queued[index])
        {
            _queued[index] = true;
            _worklist.Push(index);
        }

        // Any instruction in a try block may throw, so each handler starts from every state seen inside its try.
        var offset = _body.Instructions[index].Offset;
        foreach (var region in _body.Regions)
        {
            if (!region.TryContains(offset))
                continue;
            AbstractValue[] stack = region.CatchesExceptions ? [new AbstractValue(typeof(Exception), false, StorageSlot.None)] : [];
            var handlerState = _states[index]!.WithStack(stack);
            if (_indexOfOffset.TryGetValue(region.HandlerOffset, out var handler))
                Merge(handler, handlerState);
            if (region.Kind == ExceptionRegionKind.Filter && _indexOfOffset.TryGetValue(region.FilterOffset, out var filter))
                Merge(filter, handlerState);
        }
    }

    private Flow Execute(int index, AbstractState state)
    {
        var instruction = _body.Instructions[index];
        var stack = state.Stack;
        var code = instruction.OpCode;
        var operand = (int)instruction.Operand;
        switch (code)
        {
            case ILOpCode.Ldarg_0 or ILOpCode.Ldarg_1 or ILOpCode.Ldarg_2 or ILOpCode.Ldarg_3:
                LoadArgument(state, code - ILOpCode.Ldarg_0);
                return Flow.Next;
            case ILOpCode.Ldarg_s or ILOpCode.Ldarg:
                LoadArgument(state, operand);
                return Flow.Next;
            case ILOpCode.Ldarga_s or ILOpCode.Ldarga:
                stack.Add(new AbstractValue(ArgumentType(operand), Flag(state.Arguments, operand), StorageSlot.Argument(operand)));
                return Flow.Next;
            case ILOpCode.Starg_s or ILOpCode.Starg:
                SetFlag(state.Arguments, operand, Pop(stack).Tainted);
                return Flow.Next;

            case ILOpCode.Ldloc_0 or ILOpCode.Ldloc_1 or ILOpCode.Ldloc_2 or ILOpCode.Ldloc_3:
                LoadLocal(state, code - ILOpCode.Ldloc_0);
                return Flow.Next;
            case ILOpCode.Ldloc_s or ILOpCode.Ldloc:
                LoadLocal(state, operand);
                return Flow.Next;
            case ILOpCode.Ldloca_s or ILOpCode.Ldloca:
                NoteType(LocalType(operand));
                stack.Add(new AbstractValue(LocalType(operand), Flag(state.Locals, operand), StorageSlot.Local(operand)));
                return Flow.Next;
            case ILOpCode.Stloc_0 or ILOpCode.Stloc_1 or ILOpCode.Stloc_2 or ILOpCode.Stloc_3:
                SetFlag(state.Locals, code - ILOpCode.Stloc_0, Pop(stack).Tainted);
                return Flow.Next;
            case ILOpCode.Stloc_s or ILOpCode.Stloc:
                SetFlag(state.Locals, operand, Pop(stack).Tainted);
                return Flow.Next;

            case ILOpCode.Ldfld or ILOpCode.Ldflda:
            {
                var receiver = Pop(stack);
                if (_resolver.Field(operand) is not { } field)
                    return Flow.Stop;
                NoteType(field.FieldType);
                var address = code == ILOpCode.Ldflda ? StorageSlot.OfField(field) : StorageSlot.None;
                Push(stack, field.FieldType, receiver.Tainted || state.TaintedFields.Contains(field), address);
                return Flow.Next;
            }
            case ILOpCode.Ldsfld or ILOpCode.Ldsflda:
            {
                if (_resolver.Field(operand) is not { } field)
                    return Flow.Stop;
                NoteType(field.FieldType);
                var address = code == ILOpCode.Ldsflda ? StorageSlot.OfField(field) : StorageSlot.None;
                Push(stack, field.FieldType, state.TaintedFields.Contains(field), address);
                return Flow.Next;
            }
            case ILOpCode.Stfld or ILOpCode.Stsfld:
            {
                var value = Pop(stack);
                if (code == ILOpCode.Stfld)
                    Pop(stack);
                if (value.Tainted && _resolver.Field(operand) is { } field)
                    state.TaintedFields = state.TaintedFields.Add(field);
                return Flow.Next;
            }
            case ILOpCode.Stind_i or ILOpCode.Stind_i1 or ILOpCode.Stind_i2 or ILOpCode.Stind_i4 or ILOpCode.Stind_i8
                or ILOpCode.Stind_r4 or ILOpCode.Stind_r8 or ILOpCode.Stind_ref or ILOpCode.Stobj:
            {
                var value = Pop(stack);
                var address = Pop(stack);
                StoreThrough(state, address, value.Tainted);
                return Flow.Next;
            }
            case ILOpCode.Ldobj:
            {
                var address = Pop(stack);
                Push(stack, _resolver.Type(operand), address.Tainted);
                return Flow.Next;
            }

            case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj:
                return Call(index, instruction, state);
            case ILOpCode.Calli:
                return IndirectCall(operand, state);
            case ILOpCode.Ldftn or ILOpCode.Ldvirtftn:
            {
                if (code == ILOpCode.Ldvirtftn)
                    Pop(stack);
                // Lambdas, local functions and delegates handed to Cond are reached only through their function pointer.
                if (_resolver.Method(operand) is { } target && _policy.IsUserCode(target))
                    AddCallee(new CalleeRequest(target, 0));
                Push(stack, typeof(IntPtr), false);
                return Flow.Next;
            }

            case ILOpCode.Ret:
                if (_method is MethodInfo { ReturnType: var returnType } && returnType != typeof(void) && Pop(stack).Tainted)
                    _returnsTaint = true;
                return Flow.Stop;

            case ILOpCode.Br or ILOpCode.Br_s:
                return new Flow(false, instruction.Targets, false);
            case ILOpCode.Leave or ILOpCode.Leave_s:
                return new Flow(false, instruction.Targets, true);
            case ILOpCode.Brtrue or ILOpCode.Brtrue_s or ILOpCode.Brfalse or ILOpCode.Brfalse_s or ILOpCode.Switch:
                CheckBranch(instruction, Pop(stack).Tainted);
                return new Flow(true, instruction.Targets, false);
            case ILOpCode.Beq or ILOpCode.Beq_s or ILOpCode.Bne_un or ILOpCode.Bne_un_s
                or ILOpCode.Bge or ILOpCode.Bge_s or ILOpCode.Bge_un or ILOpCode.Bge_un_s
                or ILOpCode.Bgt or ILOpCode.Bgt_s or ILOpCode.Bgt_un or ILOpCode.Bgt_un_s
                or ILOpCode.Ble or ILOpCode.Ble_s or ILOpCode.Ble_un or ILOpCode.Ble_un_s
                or ILOpCode.Blt or ILOpCode.Blt_s or ILOpCode.Blt_un or ILOpCode.Blt_un_s:
            {
                var right = Pop(stack);
                var left = Pop(stack);
                CheckBranch(instruction, left.Tainted || right.Tainted);
                if (code is ILOpCode.Beq or ILOpCode.Beq_s or ILOpCode.Bne_un or ILOpCode.Bne_un_s)
                    CheckReferenceComparison(instruction, left, right);
                return new Flow(true, instruction.Targets, false);
            }
            case ILOpCode.Ceq:
            {
                var right = Pop(stack);
                var left = Pop(stack);
                CheckReferenceComparison(instruction, left, right);
                Push(stack, typeof(bool), left.Tainted || right.Tainted);
                return Flow.Next;
            }

            case ILOpCode.Throw:
                Pop(stack);
                // A throw that no catch in this method intercepts only aborts (export then fails with that exception, as
                // eager would): argument checks like `if (x.Ndim != 4) throw ...` are fine. A caught throw is control flow.
                if (IsCaughtHere(instruction.Offset)) Report(GraphBreakKind.ExceptionHandling, instruction.Offset);
                return Flow.Stop;
            case ILOpCode.Rethrow:
                Report(GraphBreakKind.ExceptionHandling, instruction.Offset);
                return Flow.Stop;
            case ILOpCode.Endfinally or ILOpCode.Jmp:
                return Flow.Stop;
            case ILOpCode.Endfilter:
                Pop(stack);
                return Flow.Stop;

            case ILOpCode.Dup:
            {
                var top = Pop(stack);
                stack.Add(top);
                stack.Add(top);
                return Flow.Next;
            }
            case ILOpCode.Box or ILOpCode.Unbox_any or ILOpCode.Castclass or ILOpCode.Isinst:
            {
                var value = Pop(stack);
                Push(stack, _resolver.Type(operand), value.Tainted);
                return Flow.Next;
            }
            case ILOpCode.Newarr:
            {
                Pop(stack);
                // An array's length says nothing about the data later stored in it, so a new array starts clean.
                Push(stack, _resolver.Type(operand)?.MakeArrayType(), false);
                return Flow.Next;
            }
            case ILOpCode.Ldelem_ref or ILOpCode.Ldelem:
            {
                var position = Pop(stack);
                var array = Pop(stack);
                var elementType = code == ILOpCode.Ldelem ? _resolver.Type(operand) : array.Type?.GetElementType();
                Push(stack, elementType, array.Tainted || position.Tainted);
                return Flow.Next;
            }
            case ILOpCode.Ldnull:
                Push(stack, null, false);
                return Flow.Next;
            case ILOpCode.Ldstr:
                Push(stack, typeof(string), false);
                return Flow.Next;
            case >= ILOpCode.Ldc_i4_m1 and <= ILOpCode.Ldc_i4:
                Push(stack, typeof(int), false);
                return Flow.Next;
            case ILOpCode.Ldc_i8:
                Push(stack, typeof(long), false);
                return Flow.Next;
            case ILOpCode.Ldc_r4:
                Push(stack, typeof(float), false);
                return Flow.Next;
            case ILOpCode.Ldc_r8:
                Push(stack, typeof(double), false);
                return Flow.Next;

            default:
                return Generic(code, stack);
        }
    }

    /// <summary>
    /// Every other opcode (arithmetic, comparisons, conversions, element and indirect loads and stores, prefixes):
    /// pops and pushes what the opcode table says, and a result is tainted when any operand was.
    /// </summary>
    private static Flow Generic(ILOpCode code, List<AbstractValue> stack)
    {
        var opCode = OpCodeTable.Get(code);
        var pops = OpCodeTable.PopCount(opCode);
        var pushes = OpCodeTable.PushCount(opCode);
        if (pops < 0 || pushes < 0)
            return Flow.Stop;
        var tainted = false;
        for (var i = 0; i < pops; i++)
            tainted |= Pop(stack).Tainted;
        for (var i = 0; i < pushes; i++)
            stack.Add(new AbstractValue(null, tainted, StorageSlot.None));
        return Flow.Next;
    }

    private Flow Call(int index, ILInstruction instruction, AbstractState state)
    {
        var stack = state.Stack;
        var isNewObj = instruction.OpCode == ILOpCode.Newobj;
        if (_resolver.Method((int)instruction.Operand) is not { } callee ||
            (callee.CallingConvention & CallingConventions.VarArgs) != 0)
            // Without the signature the stack effect is unknown; this path is abandoned rather than guessed.
            return Flow.Stop;

        var parameters = callee.GetParameters();
        var hasReceiver = !callee.IsStatic && !isNewObj;
        var arguments = new AbstractValue[parameters.Length + (hasReceiver ? 1 : 0)];
        for (var i = arguments.Length - 1; i >= 0; i--)
            arguments[i] = Pop(stack);
        var anyTainted = arguments.Any(a => a.Tainted);

        if (_reporting)
        {
            var constrained = index > 0 && _body.Instructions[index - 1].OpCode == ILOpCode.Constrained
                ? _resolver.Type((int)_body.Instructions[index - 1].Operand)
                : null;
            var receiverType = constrained ?? (hasReceiver ? arguments[0].Type : null);
            if (_policy.IsTruthiness(callee))
                Report(GraphBreakKind.DataDependentControlFlow, instruction.Offset);
            else if (_policy.IsDataAccess(callee))
                Report(GraphBreakKind.TensorDataAccess, instruction.Offset);
            if (_policy.IsIdentity(callee, receiverType))
                Report(GraphBreakKind.ObjectIdentity, instruction.Offset);
            NoteType(callee.DeclaringType);
            if (callee is MethodInfo info)
                NoteType(info.ReturnType);
        }

        CalleeRequest? request = null;
        if (_policy.IsUserCode(callee))
        {
            // A constructor's "this" is argument 0 in the callee but is not on the caller's stack.
            var shift = isNewObj ? 1 : 0;
            ulong mask = 0;
            for (var i = 0; i < arguments.Length && i + shift < 64; i++)
            {
                if (arguments[i].Tainted)
                    mask |= 1UL << (i + shift);
            }
            request = new CalleeRequest(callee, mask);
            AddCallee(request.Value);
        }

        var resultTainted = false;
        if (isNewObj)
        {
            resultTainted = anyTainted;
            Push(stack, callee.DeclaringType, resultTainted);
        }
        else if (callee is MethodInfo { ReturnType: var returnType } && returnType != typeof(void))
        {
            resultTainted = _policy.IsItemSource(callee) ||
                            (request is { } r ? _calleeReturnsTaint(r) ?? anyTainted : anyTainted);
            Push(stack, returnType, resultTainted);
        }

        // ref/out arguments and struct receivers are written by the callee: taint flows back into what they point at.
        if (anyTainted || resultTainted)
        {
            foreach (var argument in arguments)
                StoreThrough(state, argument, true);
        }
        return Flow.Next;
    }

    /// <summary>calli: the stack effect comes from the standalone signature, decoded just far enough to count slots.</summary>
    private unsafe Flow IndirectCall(int token, AbstractState state)
    {
        if (_resolver.Signature(token) is not { Length: > 0 } signature)
            return Flow.Stop;
        int parameterCount;
        bool hasThis, returnsVoid;
        try
        {
            fixed (byte* start = signature)
            {
                var reader = new BlobReader(start, signature.Length);
                var header = reader.ReadSignatureHeader();
                if (header.IsGeneric)
                    reader.ReadCompressedInteger();
                parameterCount = reader.ReadCompressedInteger();
                var typeCode = reader.ReadSignatureTypeCode();
                while (typeCode is SignatureTypeCode.RequiredModifier or SignatureTypeCode.OptionalModifier)
                {
                    reader.ReadTypeHandle();
                    typeCode = reader.ReadSignatureTypeCode();
                }
                hasThis = header.IsInstance && !header.HasExplicitThis;
                returnsVoid = typeCode == SignatureTypeCode.Void;
            }
        }
        catch (BadImageFormatException)
        {
            return Flow.Stop;
        }
        var tainted = false;
        var pops = parameterCount + (hasThis ? 1 : 0) + 1;
        for (var i = 0; i < pops; i++)
            tainted |= Pop(state.Stack).Tainted;
        if (!returnsVoid)
            Push(state.Stack, null, tainted);
        return Flow.Next;
    }

    private void CheckBranch(ILInstruction instruction, bool tainted)
    {
        if (tainted)
            Report(GraphBreakKind.DataDependentValue, instruction.Offset);
    }

    /// <summary>
    /// Roslyn compiles ReferenceEquals(a, b) (and == between classes without an operator ==) to ceq/beq/bne.un, so
    /// the identity call is gone from the IL; a reference comparison of two tensors is that call in disguise.
    /// </summary>
    private void CheckReferenceComparison(ILInstruction instruction, AbstractValue left, AbstractValue right)
    {
        if (_reporting && _policy.IsTensorType(left.Type) && _policy.IsTensorType(right.Type))
            Report(GraphBreakKind.ObjectIdentity, instruction.Offset);
    }

    private void LoadArgument(AbstractState state, int index)
    {
        var type = ArgumentType(index);
        NoteType(type);
        Push(state.Stack, type, Flag(state.Arguments, index));
    }

    private void LoadLocal(AbstractState state, int index)
    {
        var type = LocalType(index);
        NoteType(type);
        Push(state.Stack, type, Flag(state.Locals, index));
    }

    private Type? ArgumentType(int index) => index < _argumentTypes.Length ? _argumentTypes[index] : null;

    private Type? LocalType(int index) => index < _body.LocalTypes.Length ? _body.LocalTypes[index] : null;

    /// <summary>Pushes a value; tensors are never tainted, because a tensor built from a scalar is graph data, not control flow.</summary>
    private void Push(List<AbstractValue> stack, Type? type, bool tainted, StorageSlot address = default) =>
        stack.Add(new AbstractValue(type, tainted && !_policy.IsTensorType(type), address));

    // Verified IL never underflows; an unknown value keeps a malformed or misread body from crashing the analysis.
    private static AbstractValue Pop(List<AbstractValue> stack)
    {
        if (stack.Count == 0)
            return AbstractValue.Unknown;
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private static bool Flag(bool[] flags, int index) => index < flags.Length && flags[index];

    private static void SetFlag(bool[] flags, int index, bool value)
    {
        if (index < flags.Length)
            flags[index] = value;
    }

    /// <summary>A store through a managed pointer: weak (taint is added, never cleared), since the pointer may alias.</summary>
    private static void StoreThrough(AbstractState state, AbstractValue address, bool tainted)
    {
        if (!tainted)
            return;
        switch (address.Address.Kind)
        {
            case StorageKind.Local:
                SetFlag(state.Locals, address.Address.Index, true);
                break;
            case StorageKind.Argument:
                SetFlag(state.Arguments, address.Address.Index, true);
                break;
            case StorageKind.Field:
                state.TaintedFields = state.TaintedFields.Add(address.Address.Field!);
                break;
        }
    }

    private void AddCallee(CalleeRequest request)
    {
        if (_reporting && _calleeSet.Add(request))
            _callees.Add(request);
    }

    /// <summary>Submodules: any user module type the method touches has its Forward queued, since Call reaches it invisibly.</summary>
    private void NoteType(Type? type)
    {
        if (!_reporting || type is null || !_notedTypes.Add(type))
            return;
        foreach (var forward in SubmoduleForwards.In(type, _policy))
            AddCallee(new CalleeRequest(forward, 0));
    }

    private void Report(GraphBreakKind kind, int offset, SourceLocation? location = null)
    {
        if (!_reporting)
            return;
        location ??= SourceLocator.Locate(_method, offset);
        _breaks.Add(new FoundBreak(new GraphBreak(kind, GraphBreakMessages.For(kind), location), _method, offset));
    }

    /// <summary>Where control goes after an instruction.</summary>
    private readonly record struct Flow(bool FallsThrough, int[] Targets, bool ClearsStack)
    {
        public static Flow Next { get; } = new(true, [], false);

        public static Flow Stop { get; } = new(false, [], false);
    }
}
