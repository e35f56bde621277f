import ZongSyntax

extension Checker {
    /// `callee(args)` (§7.10–7.12, §8). Every argument is checked (so names are resolved and
    /// their own errors reported) before the call's binding rules run.
    func call(_ callee: Expr, _ args: [Argument], _ span: SourceSpan) -> Checked {
        switch callee.kind {
        case .name(let n):
            guard let symbol = scope.lookup(n, insideFunction: insideFunction) else {
                symbolError(SemaMessages.undefinedSymbol(n), callee.span)
                _ = args.map { expr($0.value) }
                return .failed
            }
            switch symbol {
            case .builtin(let b):
                return builtin(b, args, span)
            case .function(let def):
                return userCall(.function(def), names: def.parameters.map(\.name), types: def.parameters.map(\.type),
                                returnType: def.returnType, args, span)
            case .external(let i):
                let ext = externs[i]
                return userCall(.external(i), names: ext.parameterNames, types: ext.parameterTypes,
                                returnType: ext.returnType, args, span)
            case .libraryExternal(let name):
                guard let i = libraryExternIndex(name) else { return .failed }
                let ext = externs[i]
                return userCall(.external(i), names: ext.parameterNames, types: ext.parameterTypes,
                                returnType: ext.returnType, args, span)
            case .variable:
                _ = args.map { expr($0.value) }
                typeError(SemaMessages.unknownFunction(n), callee.span)
                return .failed
            }
        case .type(let t):
            return typeCall(t, args, span)
        default:
            _ = expr(callee)
            _ = args.map { expr($0.value) }
            typeError(SemaMessages.invalidCall, span)
            return .failed
        }
    }

    /// Binding of arguments to parameters (§7.10 steps 1–4); stops at the first binding error.
    private func userCall(_ callee: Callee, names: [String], types: [ZType], returnType: ZType,
                          _ args: [Argument], _ span: SourceSpan) -> Checked {
        let checked = args.map { expr($0.value) }
        if checked.contains(where: { if case .failed = $0 { true } else { false } }) { return .failed }
        var labels: Set<String> = []
        for a in args {
            if let label = a.label, !labels.insert(label).inserted {
                typeError(SemaMessages.callDuplicateParameter(label), a.span)
                return .failed
            }
        }
        guard args.count == names.count else {
            typeError(SemaMessages.callArgumentCount(names.count, args.count), span)
            return .failed
        }
        var bound = Array(repeating: false, count: names.count)
        var arguments: [TExpr] = []
        var indices: [Int] = []
        for (k, a) in args.enumerated() {
            var p = k
            if let label = a.label {
                guard let i = names.firstIndex(of: label) else {
                    typeError(SemaMessages.callUnknownParameter(label), a.span)
                    return .failed
                }
                p = i
            }
            if bound[p] {
                typeError(SemaMessages.callDuplicateParameter(names[p]), a.span)
                return .failed
            }
            bound[p] = true
            guard let v = convert(checked[k], to: types[p], mismatch: { SemaMessages.callArgumentType(names[p], types[p], $0) })
            else { return .failed }
            arguments.append(v)
            indices.append(p)
        }
        if types.contains(.error) || returnType == .error { return .failed }
        return .value(TExpr(.call(callee, arguments: arguments, parameterIndices: indices), type: returnType, span: span))
    }

    /// The predeclared functions (§8); argument names are ignored.
    private func builtin(_ b: Builtin, _ args: [Argument], _ span: SourceSpan) -> Checked {
        if b.isLibrary { return libraryBuiltin(b, args, span) }
        let checked = args.map { expr($0.value) }
        let expected = b == .readLine ? 0 : b == .append ? 2 : 1
        guard checked.count == expected else {
            let message = switch b {
            case .print: SemaMessages.printArgumentCount
            case .printBytes: SemaMessages.printBytesArgumentCount
            case .readLine: SemaMessages.readLineArgumentCount
            case .append: SemaMessages.appendArgumentCount
            default: SemaMessages.builtinArgumentCount(b.rawValue, expected)
            }
            typeError(message, span)
            return .failed
        }
        switch b {
        case .print:
            guard let v = defaulted(checked[0]) else { return .failed }
            switch v.type {
            case .integer, .boolean, .pointer: return .value(TExpr(.print(v), type: .void, span: span))
            default:
                typeError(SemaMessages.cannotPrint(v.type), v.span)
                return .failed
            }
        case .printBytes:
            if case .literal(let lit) = checked[0] {
                typeError(SemaMessages.printBytesArgument(.integerLiteral), lit.span)
                return .failed
            }
            guard let v = defaulted(checked[0]) else { return .failed }
            guard v.type == .slice(.integer(.u8)) else {
                typeError(SemaMessages.printBytesArgument(v.type), v.span)
                return .failed
            }
            return .value(TExpr(.printBytes(v), type: .void, span: span))
        case .readLine:
            return .value(TExpr(.readLine, type: .slice(.integer(.u8)), span: span))
        case .append:
            if case .literal(let lit) = checked[0] {
                typeError(SemaMessages.appendNeedsSlicePointer(.integerLiteral), lit.span)
                return .failed
            }
            guard let target = defaulted(checked[0]) else { return .failed }
            guard case .pointer(.slice(let element)) = target.type else {
                typeError(SemaMessages.appendNeedsSlicePointer(target.type), target.span)
                return .failed
            }
            guard let v = convert(checked[1], to: element, mismatch: { SemaMessages.appendValueMismatch($0, element) }) else {
                return .failed
            }
            return .value(TExpr(.append(target, v), type: .void, span: span))
        case .printInt, .eprint, .eprintBytes, .formatInt:
            return .failed  // libraryBuiltin
        }
    }

    /// print_int(x), format_int(x) (any integer type), eprint(x) (also Boolean), eprint_bytes(s)
    /// (U8[]): a call of the library function for the value converted to I64 (signed types) or
    /// U64 (unsigned), or for Boolean / U8[].
    private func libraryBuiltin(_ b: Builtin, _ args: [Argument], _ span: SourceSpan) -> Checked {
        let checked = args.map { expr($0.value) }
        if checked.contains(where: { if case .failed = $0 { true } else { false } }) { return .failed }
        guard checked.count == 1 else {
            typeError(SemaMessages.builtinArgumentCount(b.rawValue, 1), span)
            return .failed
        }
        if b == .eprintBytes, case .literal(let lit) = checked[0] {
            typeError(SemaMessages.builtinArgumentType(b.rawValue, .integerLiteral), lit.span)
            return .failed
        }
        guard let v = defaulted(checked[0]) else { return .failed }
        var argument = v
        let target: String
        switch (b, v.type) {
        case (.eprintBytes, .slice(.integer(.u8))):
            target = "_zong_eprint_bytes"
        case (.eprint, .boolean):
            target = "_zong_eprint_boolean"
        case (.printInt, .integer(let t)), (.eprint, .integer(let t)), (.formatInt, .integer(let t)):
            let wide: ZType = t.isSigned ? .integer(.i64) : .integer(.u64)
            if v.type != wide { argument = TExpr(.convert(v), type: wide, span: v.span) }
            let base = b == .printInt ? "print" : b == .eprint ? "eprint" : "format"
            target = "_zong_\(base)_\(t.isSigned ? "signed" : "unsigned")"
        default:
            typeError(SemaMessages.builtinArgumentType(b.rawValue, v.type), v.span)
            return .failed
        }
        guard let def = library.functions[target] else { return .failed }
        return .value(TExpr(.call(.function(def), arguments: [argument], parameterIndices: [0]), type: def.returnType, span: span))
    }

    /// `S(f: v, …)`, `T[]()`, or an invalid type callee (§7.11, §7.12).
    private func typeCall(_ t: TypeSyntax, _ args: [Argument], _ span: SourceSpan) -> Checked {
        let type = resolveType(t)
        guard type != .error else {
            _ = args.map { expr($0.value) }
            return .failed
        }
        if case .structure(let name) = type, let def = structs[name] {
            return construct(def, args, span)
        }
        if case .integer = type {
            return conversion(to: type, args, span)
        }
        if case .slice = type {
            _ = args.map { expr($0.value) }
            guard args.isEmpty else {
                typeError(SemaMessages.emptySliceArguments(type), span)
                return .failed
            }
            return .value(TExpr(.emptySlice, type: type, span: span))
        }
        _ = args.map { expr($0.value) }
        typeError(SemaMessages.nodeTypeCallee, span)
        return .failed
    }

    /// `I8(x)` … `U64(x)`: from any integer type (a `.convert`), or an `Integer` literal that
    /// must fit the target (resolved to `.integer`). Argument names are ignored, as for built-ins.
    private func conversion(to type: ZType, _ args: [Argument], _ span: SourceSpan) -> Checked {
        let checked = args.map { expr($0.value) }
        guard checked.count == 1 else {
            if !checked.contains(where: { if case .failed = $0 { true } else { false } }) {
                typeError(SemaMessages.conversionArgumentCount(type), span)
            }
            return .failed
        }
        switch checked[0] {
        case .failed:
            return .failed
        case .literal(let lit):
            let resolved = resolveLiteral(lit, to: type)
            return .value(TExpr(resolved.kind, type: type, span: span))
        case .value:
            guard let v = defaulted(checked[0]) else { return .failed }
            guard v.type.isInteger else {
                typeError(SemaMessages.cannotConvertValue(v.type, type), span)
                return .failed
            }
            if v.type == type { return .value(v) }
            return .value(TExpr(.convert(v), type: type, span: span))
        }
    }

    /// Struct construction, with the exact step order of §7.11.
    private func construct(_ def: StructDef, _ args: [Argument], _ span: SourceSpan) -> Checked {
        let checked = args.map { expr($0.value) }
        guard args.allSatisfy({ $0.label != nil }) else {
            typeError(SemaMessages.structNeedsNamedArguments, span)
            return .failed
        }
        let labels = args.compactMap(\.label)
        var ok = true
        var fields: [(index: Int, value: TExpr)] = []
        if let duplicate = firstDuplicate(labels) {
            typeError(SemaMessages.structDuplicateField(duplicate.name), args[duplicate.position].span)
            ok = false
        } else if args.count != def.fields.count {
            typeError(SemaMessages.structFieldCount(def.fields.count, args.count), span)
            ok = false
        } else {
            for (k, a) in args.enumerated() {
                guard let i = def.fieldIndex(named: labels[k]) else {
                    typeError(SemaMessages.structUnknownField(labels[k]), a.span)
                    ok = false
                    break
                }
                let field = def.fields[i]
                guard let v = convert(checked[k], to: field.type,
                                      mismatch: { SemaMessages.structFieldType(field.name, field.type, $0) }) else {
                    ok = false
                    break
                }
                fields.append((i, v))
            }
        }
        let given = Set(labels)
        if let missing = def.fields.first(where: { !given.contains($0.name) }) {
            typeError(SemaMessages.structMissingField(missing.name), span)
            ok = false
        }
        guard ok else { return .failed }
        return .value(TExpr(.construct(structName: def.name, fields: fields), type: .structure(def.name), span: span))
    }

    private func firstDuplicate(_ labels: [String]) -> (name: String, position: Int)? {
        var seen: Set<String> = []
        for (i, l) in labels.enumerated() where !seen.insert(l).inserted {
            return (l, i)
        }
        return nil
    }
}
