// Importing a full-size reference checkpoint (issue: "importing a 280 MB checkpoint takes
// <= 5 s and peaks below 1.5x the file size") and exporting it back.
//
//   bench_import CHECKPOINT VECTORS VOC [PRESET] [THREADS]
//
// Make a stand-in with random weights first (Debian's python3-torch):
//   /usr/bin/python3 tests/reference/make_checkpoints.py --out /tmp/r101 --full-r101 --published
//   V=../shared/data/zsi-coco-word-vectors/word_w2v_withbg_48_17.txt
//   build/bin/bench_import /tmp/r101/r101_48_17.pth $V /tmp/r101/voc_stand_in_k4717.txt
// Peak memory is the process's high-water mark (VmHWM) minus what it held before the step.
// Each step runs in a fresh child process so that one step's peak does not hide another's;
// the child first imports the small test checkpoint (so LibTorch's code pages and the
// allocator's arenas are already in), then resets the high-water mark (/proc/self/clear_refs)
// and measures the step alone.
#include "io/reference_checkpoint.h"
#include "runtime/runtime.h"

#if defined(__linux__)
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <functional>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace zsi;

namespace {

[[maybe_unused]] long statusKb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string k;
    while (in >> k) {
        if (k == key) {
            long kb = 0;
            in >> kb;
            return kb;
        }
        in.ignore(1 << 10, '\n');
    }
    return 0;
}

#if defined(__linux__)
// Runs `job` in a child; the child writes "seconds peak_kb base_kb" to a pipe.
bool inChild(const std::function<void()>& warmUp, const std::function<void()>& job, double& seconds,
             long& peakKb, long& baseKb) {
    int fd[2];
    if (pipe(fd) != 0) return false;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        warmUp();
        std::ofstream("/proc/self/clear_refs") << "5";  // reset VmHWM to the current RSS
        const long base = statusKb("VmRSS:");
        const auto t0 = std::chrono::steady_clock::now();
        job();
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char buf[128];
        const int n = std::snprintf(buf, sizeof buf, "%f %ld %ld", s, statusKb("VmHWM:"), base);
        if (write(fd[1], buf, static_cast<size_t>(n)) != n) _exit(3);
        _exit(0);
    }
    close(fd[1]);
    char buf[128] = {};
    const ssize_t n = read(fd[0], buf, sizeof buf - 1);
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
    return std::sscanf(buf, "%lf %ld %ld", &seconds, &peakKb, &baseKb) == 3;
}
#else
// Elsewhere (no fork, no /proc): the step runs in this process and only its time is measured.
bool inChild(const std::function<void()>& warmUp, const std::function<void()>& job, double& seconds,
             long& peakKb, long& baseKb) {
    warmUp();
    const auto t0 = std::chrono::steady_clock::now();
    job();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    peakKb = baseKb = 0;
    return true;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_import CHECKPOINT VECTORS VOC [PRESET] [THREADS]\n");
        return 2;
    }
    const fs::path ckpt = argv[1], vectors = argv[2], voc = argv[3];
    const std::string preset = argc > 4 ? argv[4] : "48_17";
    const int threads = argc > 5 ? std::atoi(argv[5]) : 2;
    initTorchThreads(threads);
    const fs::path work = fs::temp_directory_path() / "zsi-bench-import";
    fs::remove_all(work);
    fs::create_directories(work);
    const double fileMb = static_cast<double>(fs::file_size(ckpt)) / (1024.0 * 1024.0);

    std::printf("reference checkpoint import/export, %d threads, file %.1f MiB (%s)\n", threads,
                fileMb, ckpt.filename().string().c_str());
    std::printf("%-28s %10s %14s %12s\n", "step", "seconds", "peak MiB", "peak / file");
    const fs::path fixtures =
        fs::path(ZSI_SOURCE_RESOURCES).parent_path() / "tests" / "fixtures" / "reference";
    auto warmUp = [&] {
        io::ReferenceImportOptions o;
        o.checkpoint = fixtures / "tiny_48_17.pth";
        o.config = fixtures / "tiny_48_17.json";
        o.vectors = fixtures / "word_w2v_withbg_48_17.txt";
        o.classes = fixtures / "classes_48_17.txt";
        o.voc = fixtures / "voc_stand_in_k40.txt";
        o.out = work / "warm-up";
        io::importReferenceCheckpoint(o);
        io::ReferenceExportOptions e;
        e.bundle = o.out;
        e.out = work / "warm-up.pth";
        io::exportReferenceCheckpoint(e);
    };
    auto row = [&](const char* name, const std::function<void()>& job) {
        double s = 0;
        long peak = 0, base = 0;
        if (!inChild(warmUp, job, s, peak, base)) {
            std::printf("%-28s failed\n", name);
            return;
        }
        const double mb = static_cast<double>(peak - base) / 1024.0;
        std::printf("%-28s %10.2f %14.1f %12.2f\n", name, s, mb, mb / fileMb);
    };
    row("import-reference", [&] {
        io::ReferenceImportOptions o;
        o.checkpoint = ckpt;
        o.preset = preset;
        o.vectors = vectors;
        o.voc = voc;
        o.out = work / "bundle";
        o.dataDir = ZSI_SOURCE_RESOURCES;
        io::importReferenceCheckpoint(o);
    });
    row("export-reference", [&] {
        io::ReferenceExportOptions o;
        o.bundle = work / "bundle";
        o.out = work / "exported.pth";
        io::exportReferenceCheckpoint(o);
    });
    std::printf(
        "peak = VmHWM minus the resident size before the step (after a warm-up import of the test "
        "checkpoint)\n");
    fs::remove_all(work);
    return 0;
}
