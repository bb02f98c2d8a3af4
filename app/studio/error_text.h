#pragma once
// Core errors as translated, user-facing text: core throws zsi::Error with a stable code and
// named arguments (English message for logs); the app words it in the user's language.
#include <QString>

#include <exception>

namespace zsi {

class Error;

// The translated message of a zsi::Error (its code and arguments); other exceptions and
// errors lacking an argument the wording needs give their English what().
QString errorText(const std::exception& e);
QString errorText(const Error& e);

}  // namespace zsi
