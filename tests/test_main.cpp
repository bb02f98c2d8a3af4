// main() of the multi-suite test executables (see test_registry.h).
#include "test_registry.h"

#include <QtTest>
#ifdef ZSI_TEST_GUI
#include <QApplication>
using TestApp = QApplication;
#else
#include <QCoreApplication>
using TestApp = QCoreApplication;
#endif

#include <cstring>

namespace zsi::test {
std::vector<std::pair<std::string, SuiteFactory>>& suites() {
    static std::vector<std::pair<std::string, SuiteFactory>> all;
    return all;
}
}  // namespace zsi::test

int main(int argc, char** argv) {
    TestApp app(argc, argv);
    std::string only;
    std::vector<char*> args{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--suite") && i + 1 < argc) only = argv[++i];
        else args.push_back(argv[i]);
    }
    int failures = 0, ran = 0;
    for (auto& [name, make] : zsi::test::suites()) {
        if (!only.empty() && name != only) continue;
        auto suite = make();
        failures += QTest::qExec(suite.get(), int(args.size()), args.data());
        ++ran;
    }
    if (ran == 0) {
        std::fprintf(stderr, "no test suite named '%s'\n", only.c_str());
        return 1;
    }
    return failures;
}
