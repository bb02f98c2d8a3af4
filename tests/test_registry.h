#pragma once
// One test executable per module, several Qt Test classes in it: each test file ends with
// ZSI_TEST_SUITE(ClassName) instead of QTEST_MAIN, and tests/test_main.cpp runs them all.
// `test_x --suite ClassName [Qt Test options]` runs one class.
#include <QObject>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace zsi::test {

using SuiteFactory = std::function<std::unique_ptr<QObject>()>;
std::vector<std::pair<std::string, SuiteFactory>>& suites();

template <class T>
struct RegisterSuite {
    explicit RegisterSuite(const char* name) {
        suites().emplace_back(name, [] { return std::make_unique<T>(); });
    }
};

}  // namespace zsi::test

#define ZSI_TEST_SUITE(Cls) static ::zsi::test::RegisterSuite<Cls> zsiRegisterSuite##Cls(#Cls);
