#pragma once
#include <QString>

class QApplication;

namespace zsi {

// Installs the embedded translation for `language` ("zh_CN", "en", or empty for the
// system locale). Returns true when a translation was loaded.
bool installTranslation(QApplication& app, const QString& language);

}  // namespace zsi
