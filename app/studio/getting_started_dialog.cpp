#include "getting_started_dialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace zsi {

QString GettingStartedDialog::html() {
    return tr(
        "<h2>Getting started</h2>"
        "<p><b>What the model does.</b> ZSI Studio segments objects by <i>name</i>. The model "
        "never "
        "learned a fixed list of categories: it maps every object it finds into word-vector space, "
        "where the names of classes also live, and labels the object with the nearest names. So "
        "you "
        "can type a class it was never trained on and get its masks.</p>"
        "<p><b>Seen and unseen classes.</b> <i>Seen</i> classes are the ones the model was trained "
        "with (listed under Seen classes). <i>Unseen</i> classes are the names you type in the "
        "Classes panel: press Enter after each. A name whose words are not in the word vectors is "
        "refused and named; <code>couch | sofa</code> averages synonyms.</p>"
        "<p><b>Modes.</b> <i>ZSI</i> finds only your typed classes. <i>GZSI</i> finds seen and "
        "typed "
        "classes together. <i>Seen only</i> ignores typed classes. Changing classes, mode or "
        "thresholds re-scores the image in milliseconds: the expensive part is cached.</p>"
        "<p><b>Reading the result.</b> Masks are drawn in class colours (the colour squares in the "
        "Classes panel are the legend). Click a mask to select it: the Similarity panel shows how "
        "close it is to every class, and <i>Suggest Names</i> lists the words the model itself "
        "would call it; double-click one to add it as a class.</p>"
        "<p><b>Reviewing.</b> With an instance selected: <b>A</b> accepts, <b>R</b> rejects, "
        "<b>L</b> "
        "relabels, <b>Del</b> deletes; <b>B</b> / <b>E</b> paint and erase its mask, <b>P</b> and "
        "<b>X</b> draw a new instance as a polygon or a box. Everything can be undone (Ctrl+Z). "
        "<b>Page Down</b> goes to the next image, <b>Ctrl+U</b> to the next unreviewed one, "
        "<b>Ctrl+R</b> runs the model on every image of the folder.</p>"
        "<p><b>Saving and exporting.</b> Ctrl+S saves the review as a COCO file (autosaved every "
        "minute); File &gt; Export writes COCO instances, COCO results, PNG maps or YOLO "
        "labels.</p>"
        "<p><b>Models.</b> The bundled demo model knows only what it was trained on (the banner "
        "says what). For real photos, File &gt; Import Reference Checkpoint turns a published ZSI "
        "checkpoint into a model, or train one on your data with <code>zsi train</code>.</p>"
        "<p>The same jobs run without the app: <code>zsi infer</code>, <code>zsi export</code>, "
        "<code>zsi suggest</code> (see <code>zsi --help</code>).</p>");
}

GettingStartedDialog::GettingStartedDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Getting Started"));
    auto* text = new QTextBrowser(this);
    text->setHtml(html());
    text->setOpenExternalLinks(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(620, 620);
}

}  // namespace zsi
