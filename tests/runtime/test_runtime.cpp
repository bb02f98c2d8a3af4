// Unit tests of core/runtime: LibTorch threads and the device parser.
#include "runtime/device.h"
#include "runtime/runtime.h"
#include "util/error.h"

#include <torch/cuda.h>

#include <QtTest>

using namespace zsi;

class TestRuntime : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void torchThreadsAreSet() {
        initTorchThreads(2);
        QCOMPARE(runtimeInfo().intraOpThreads, 2);
        setTorchThreads(1);
        QCOMPARE(runtimeInfo().intraOpThreads, 1);
        QVERIFY(!runtimeInfo().torchVersion.empty());
    }

    void devicesParse() {
        QVERIFY(resolveDevice("cpu").is_cpu());
        const bool cuda = torch::cuda::is_available();
        QCOMPARE(resolveDevice("auto").is_cuda(), cuda);
        // The error's code, when it names the device option; Unknown otherwise.
        auto code = [](const char* name) -> ErrorCode {
            try {
                resolveDevice(name);
            } catch (const Error& e) {
                return e.arg("name") == "device" ? e.code() : ErrorCode::Unknown;
            }
            return ErrorCode::Unknown;
        };
        QCOMPARE(code("gpu"), ErrorCode::InvalidArgument);
        QCOMPARE(code(""), ErrorCode::InvalidArgument);
        QCOMPARE(code("cuda:99"), ErrorCode::InvalidArgument);  // no machine has 100
        if (cuda)
            QVERIFY(resolveDevice("cuda").is_cuda());
        else
            QCOMPARE(code("cuda"), ErrorCode::InvalidArgument);
    }
};

QTEST_APPLESS_MAIN(TestRuntime)
#include "test_runtime.moc"
