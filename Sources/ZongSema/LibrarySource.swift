/// The standard library (issue 20), written in Zong on WASI preview 1 so that one module runs
/// the same natively and under the interpreter. Sema checks it like user code, in scopes of its
/// own (Library.swift): a user function of the same name shadows a library function, and the
/// library never sees user declarations. Only the functions a program reaches are checked and
/// compiled, and only the WASI functions those call become imports, so a program that uses
/// none of it gets exactly the module it got before.
///
/// Public: parse_int, bytes_equal, bytes_compare, args, exit, read_file, write_file,
/// append_file. print_int, eprint, eprint_bytes and format_int are Sema built-ins (they take
/// any integer type) that call the `_zong_` functions here with the value converted to I64 or
/// U64. Names starting with `_zong_` and the struct `ZongLibraryIovec` are reserved.
enum LibrarySource {
    static let text = #"""
struct ZongLibraryIovec(base: U8*, length: I32);

extern "wasi_snapshot_preview1" {
    func fd_write(fd: I32, iovs: ZongLibraryIovec*, iovs_len: I32, nwritten: I32*): I32;
    func fd_read(fd: I32, iovs: ZongLibraryIovec*, iovs_len: I32, nread: I32*): I32;
    func fd_close(fd: I32): I32;
    func fd_prestat_get(fd: I32, buf: U32*): I32;
    func fd_prestat_dir_name(fd: I32, path: U8*, path_len: I32): I32;
    func path_open(fd: I32, dirflags: I32, path: U8*, path_len: I32, oflags: I32, rights_base: I64,
                   rights_inheriting: I64, fdflags: I32, opened: I32*): I32;
    func args_sizes_get(argc: I32*, size: I32*): I32;
    func args_get(argv: U8*, buf: U8*): I32;
    func proc_exit(code: I32);
}

// All of `data` on `fd`, retrying after partial writes; false on an error.
func _zong_write(_ fd: I32, _ data: U8[]): Boolean {
    var done: I64 = 0;
    for done < data.length {
        var iov: ZongLibraryIovec = ZongLibraryIovec(base: data[done]&, length: I32(data.length - done));
        var written: I32 = 0;
        if fd_write(fd, iov&, 1, written&) != 0 { return false; }
        if written <= 0 { return false; }
        done += I64(written);
    }
    return true;
}

func _zong_format_unsigned(_ v: U64): U8[] {
    var digits: U8[];
    loop {
        append(digits&, U8(v % 10) + 48);
        v /= 10;
        if v == 0 { break; }
    }
    var text: U8[];
    for var i: I64 = digits.length - 1; i >= 0; i -= 1 { append(text&, digits[i]); }
    return text;
}

func _zong_format_signed(_ v: I64): U8[] {
    if v >= 0 { return _zong_format_unsigned(U64(v)); }
    var text: U8[];
    append(text&, 45);
    var digits: U8[] = _zong_format_unsigned(U64(0) - U64(v));
    for var i: I64 = 0; i < digits.length; i += 1 { append(text&, digits[i]); }
    return text;
}

func _zong_print_signed(_ v: I64) { _zong_write(1, _zong_format_signed(v)); }
func _zong_print_unsigned(_ v: U64) { _zong_write(1, _zong_format_unsigned(v)); }

func _zong_eprint_signed(_ v: I64) {
    var text: U8[] = _zong_format_signed(v);
    append(text&, 10);
    _zong_write(2, text);
}

func _zong_eprint_unsigned(_ v: U64) {
    var text: U8[] = _zong_format_unsigned(v);
    append(text&, 10);
    _zong_write(2, text);
}

func _zong_eprint_boolean(_ b: Boolean) {
    if b { _zong_write(2, "1\n"); } else { _zong_write(2, "0\n"); }
}

func _zong_eprint_bytes(_ s: U8[]) { _zong_write(2, s); }

func parse_int(s: U8[], out: I64*): Boolean {
    var i: I64 = 0;
    var negative: Boolean = false;
    if s.length > 0 && (s[0] == 45 || s[0] == 43) {
        negative = s[0] == 45;
        i = 1;
    }
    if i >= s.length { return false; }
    var magnitude: U64 = 0;
    for i < s.length {
        var c: U8 = s[i];
        if c < 48 || c > 57 { return false; }
        var d: U64 = U64(c - 48);
        if magnitude > (18446744073709551615 - d) / 10 { return false; }
        magnitude = magnitude * 10 + d;
        i += 1;
    }
    if negative {
        if magnitude > 9223372036854775808 { return false; }
        out* = I64(U64(0) - magnitude);
    } else {
        if magnitude > 9223372036854775807 { return false; }
        out* = I64(magnitude);
    }
    return true;
}

func bytes_equal(a: U8[], b: U8[]): Boolean {
    if a.length != b.length { return false; }
    for var i: I64 = 0; i < a.length; i += 1 {
        if a[i] != b[i] { return false; }
    }
    return true;
}

func bytes_compare(a: U8[], b: U8[]): I32 {
    var n: I64 = a.length;
    if b.length < n { n = b.length; }
    for var i: I64 = 0; i < n; i += 1 {
        if a[i] < b[i] { return -1; }
        if a[i] > b[i] { return 1; }
    }
    if a.length < b.length { return -1; }
    if a.length > b.length { return 1; }
    return 0;
}

// `n` zero bytes (one more, so that `[0]&` is valid even for n = 0).
func _zong_zeros(_ n: I64): U8[] {
    var bytes: U8[];
    for var i: I64 = 0; i <= n; i += 1 { append(bytes&, 0); }
    return bytes;
}

func args(): U8[][] {
    var result: U8[][];
    var sizes: I32[];
    append(sizes&, 0);
    append(sizes&, 0);
    if args_sizes_get(sizes[0]&, sizes[1]&) != 0 { return result; }
    var pointers: U8[] = _zong_zeros(I64(sizes[0]) * 4);
    var buffer: U8[] = _zong_zeros(I64(sizes[1]));
    if args_get(pointers[0]&, buffer[0]&) != 0 { return result; }
    // The strings lie one after another in the buffer, each ended by a NUL.
    var current: U8[];
    for var i: I64 = 0; i < I64(sizes[1]); i += 1 {
        if buffer[i] == 0 {
            append(result&, current);
            current = U8[]();
        } else {
            append(current&, buffer[i]);
        }
    }
    return result;
}

func exit(code: I32) { proc_exit(code); }

// How much of `path` the preopened directory `name` covers, or -1: "/" covers an absolute
// path's "/", "." covers nothing of a relative path (which it resolves), and any other name
// covers the path's leading components equal to it (`--dir data` for "data/x").
func _zong_covers(_ name: U8[], _ path: U8[]): I64 {
    var n: I64 = name.length;
    for n > 1 && name[n - 1] == 47 { n -= 1; }
    if n == 0 { return -1; }
    if n == 1 && name[0] == 47 {
        if path[0] == 47 { return 1; }
        return -1;
    }
    if n == 1 && name[0] == 46 {
        if path[0] == 47 { return -1; }
        return 0;
    }
    if n > path.length { return -1; }
    for var i: I64 = 0; i < n; i += 1 {
        if name[i] != path[i] { return -1; }
    }
    if n < path.length && path[n] != 47 { return -1; }
    return n;
}

// The preopened directory that covers most of `path` (`*covered` bytes of it), or -1.
func _zong_preopen(_ path: U8[], _ covered: I64*): I32 {
    var best: I32 = -1;
    var bestLength: I64 = -1;
    var prestat: U32[];
    append(prestat&, 0);
    append(prestat&, 0);
    for var fd: I32 = 3; fd < 4096; fd += 1 {
        if fd_prestat_get(fd, prestat[0]&) != 0 { break; }
        if prestat[0] != 0 { continue; }
        var n: I64 = I64(prestat[1]);
        var name: U8[] = _zong_zeros(n);
        if fd_prestat_dir_name(fd, name[0]&, I32(n)) != 0 { continue; }
        name.length = n;
        var length: I64 = _zong_covers(name, path);
        if length > bestLength {
            best = fd;
            bestLength = length;
        }
    }
    covered* = bestLength;
    return best;
}

// Opens `path` (absolute, or relative to the current directory) with WASI's flags.
func _zong_open(_ path: U8[], _ oflags: I32, _ rights: I64, _ fdflags: I32, _ opened: I32*): Boolean {
    if path.length == 0 { return false; }
    var start: I64 = 0;
    var dir: I32 = _zong_preopen(path, start&);
    if dir < 0 { return false; }
    for start < path.length && path[start] == 47 { start += 1; }
    var name: U8[];
    for var i: I64 = start; i < path.length; i += 1 {
        if path[i] == 0 { return false; }
        append(name&, path[i]);
    }
    if name.length == 0 { append(name&, 46); }
    var length: I32 = I32(name.length);
    append(name&, 0);
    return path_open(dir, 1, name[0]&, length, oflags, rights, 0, fdflags, opened) == 0;
}

func read_file(path: U8[], out: U8[]*): Boolean {
    var fd: I32 = 0;
    if !_zong_open(path, 0, 2, 0, fd&) { return false; }
    var chunk: U8[] = _zong_zeros(4096);
    var data: U8[];
    loop {
        var iov: ZongLibraryIovec = ZongLibraryIovec(base: chunk[0]&, length: 4096);
        var got: I32 = 0;
        if fd_read(fd, iov&, 1, got&) != 0 {
            fd_close(fd);
            return false;
        }
        if got <= 0 { break; }
        for var i: I64 = 0; i < I64(got); i += 1 { append(data&, chunk[i]); }
    }
    fd_close(fd);
    out* = data;
    return true;
}

func _zong_write_file(_ path: U8[], _ data: U8[], _ oflags: I32, _ fdflags: I32): Boolean {
    var fd: I32 = 0;
    if !_zong_open(path, oflags, 64, fdflags, fd&) { return false; }
    var ok: Boolean = _zong_write(fd, data);
    if fd_close(fd) != 0 { ok = false; }
    return ok;
}

func write_file(path: U8[], data: U8[]): Boolean { return _zong_write_file(path, data, 9, 0); }

func append_file(path: U8[], data: U8[]): Boolean { return _zong_write_file(path, data, 1, 1); }
"""#
}
