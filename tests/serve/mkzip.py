"""mkzip.py KIND OUT.zip - zip files for the tests of asl2c serve's
CreateFunction: well-formed ones, and hostile ones that it must refuse."""
import stat
import sys
import zipfile

kind, out = sys.argv[1], sys.argv[2]


def entry(z, name, data="", mode=0o100644):
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode is in the external attributes
    info.external_attr = mode << 16
    z.writestr(info, data)


with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    if kind == "dotdot":
        entry(z, "app.py", "def handler(e, c):\n    return 1\n")
        entry(z, "../escaped.py", "ESCAPED = True\n")
    elif kind == "deep-dotdot":
        entry(z, "pkg/../../escaped.py", "ESCAPED = True\n")
    elif kind == "absolute":
        entry(z, "/tmp/asl2c-serve-escaped.py", "ESCAPED = True\n")
    elif kind == "backslash":
        entry(z, "..\\escaped.py", "ESCAPED = True\n")
    elif kind == "symlink":
        entry(z, "app.py", "def handler(e, c):\n    return 1\n")
        entry(z, "secrets", "/etc/passwd", stat.S_IFLNK | 0o777)
    elif kind == "device":
        entry(z, "tty", "", stat.S_IFCHR | 0o666)
    elif kind == "fifo":
        entry(z, "pipe", "", stat.S_IFIFO | 0o644)
    elif kind == "twice":
        entry(z, "app.py", "A = 1\n")
        entry(z, "app.py", "A = 2\n")
    elif kind == "many":
        for i in range(20001):
            entry(z, "f%d.txt" % i, "")
    elif kind == "bomb":
        # 256 MiB of zeros: over Lambda's 262,144,000 bytes unzipped.
        info = zipfile.ZipInfo("zeros.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            block = bytes(1 << 20)
            for _ in range(256):
                f.write(block)
    elif kind == "nested":
        entry(z, "pkg/", "", stat.S_IFDIR | 0o755)
        entry(z, "pkg/__init__.py", "")
        entry(z, "pkg/app.py", "import json\n"
              "def handler(event, context):\n"
              "    print('from a package')\n"
              "    return {'n': event['n'] + 1,\n"
              "            'fn': context.function_name,\n"
              "            'mem': context.memory_limit_in_mb,\n"
              "            'rid': context.aws_request_id,\n"
              "            'left': context.get_remaining_time_in_millis() > 0}\n")
    elif kind == "corrupt":
        entry(z, "app.py", "x = 1\n" * 10000)
    else:
        sys.exit("unknown kind " + kind)

if kind == "corrupt":
    # The listing is whole (python's zipfile, the AWS CLI's check, accept
    # it); the compressed data is not.
    with open(out, "r+b") as f:
        f.seek(60)
        f.write(b"\xff\x00\xff\x00\xff\x00\xff\x00")
