#include "translator_setup.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace zsi {

bool installTranslation(QApplication& app, const QString& language) {
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto* ours = new QTranslator(&app);
    // qt_add_translations embeds the .qm files under :/i18n/.
    const bool loaded = ours->load(locale, QStringLiteral("zsi_studio"), QStringLiteral("_"),
                                   QStringLiteral(":/i18n"));
    if (loaded)
        app.installTranslator(ours);
    else
        delete ours;
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    return loaded;
}

}  // namespace zsi
