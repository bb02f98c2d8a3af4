#pragma once
// The inference settings: the one torch-free type for everything that shapes a scoring run
// (mode, scoring rule, box rule, thresholds, background choice, one label per object). A
// model carries its defaults in model.json; the engine's requests, review sessions, the
// classes panel, the app's preferences, the CLI and the export job's identity carry a copy
// or a partial override of it. An option added later goes here, into toJson/fromJson and so
// into everything that stores settings.
#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace zsi {

// zsi: unseen classes only; gzsi: seen and unseen; seen: seen classes only.
enum class InferenceMode { Zsi, Gzsi, Seen };

// reference: p = softmax(e . W_s), scores p . W_s^T . W (the published code);
// direct: softmax over [background | classes] of e . W (the paper's text).
enum class ScoringRule { Reference, Direct };

// referenceIndex: unseen class j uses the deltas of seen class j (reproduces the reference);
// pWeighted: one box per proposal, deltas weighted by p over the seen classes, independent of
// the vocabulary (any number of typed classes; lets the engine cache mask maps per proposal).
enum class BoxRegressionRule { ReferenceIndex, PWeighted };

// The background column of a run. Model: the model's rule (V_b with Sync-bg, else the initial
// background vector); the others are the "what if" choices of the background view (Custom:
// a vector the request carries).
enum class BackgroundChoice { Model, Learned, Initial, Zero, MeanOfUnseen, Custom };

// Which modes write V_b into the mask head's background filter. The reference test configs
// differ per split: 48/17 leaves the mask head's filter as trained in ZSI and syncs it in GZSI;
// 65/15 syncs both. The box head and the BA-RPN always follow syncBackground.
struct MaskSyncModes {
    bool zsi = true;
    bool gzsi = true;
    bool seen = true;
    bool forMode(InferenceMode m) const {
        return m == InferenceMode::Zsi ? zsi : m == InferenceMode::Gzsi ? gzsi : seen;
    }
    bool operator==(const MaskSyncModes&) const = default;
};

struct InferenceSettings {
    InferenceMode mode = InferenceMode::Zsi;
    ScoringRule scoring = ScoringRule::Reference;
    BoxRegressionRule boxRule = BoxRegressionRule::ReferenceIndex;
    double scoreThreshold = 0.05;
    double nmsIou = 0.5;
    int maxDetections = 100;  // per score set (GZSI with the reference rule: per seen/unseen)
    double maskThreshold = 0.5;
    bool syncBackground = true;  // Sync-bg: V_b replaces the background column everywhere
    MaskSyncModes maskSync;      // ... and, per mode, in the mask head (when syncBackground)
    BackgroundChoice background = BackgroundChoice::Model;
    // Annotation: one class per object, the others as Instance::alternatives. Off reproduces
    // the paper's outputs (needed for COCO evaluation).
    bool oneLabelPerObject = false;
    double oneLabelMaskIou = 0.5;

    // V_b in the mask head's background filter in this mode.
    bool maskSyncBackground() const { return syncBackground && maskSync.forMode(mode); }
    // Throws Error(ConfigInvalid, field, reason) for values out of range.
    void validate() const;
    bool operator==(const InferenceSettings&) const = default;
};

// A partial InferenceSettings: what a command line or the app's preferences change on top of
// a model's defaults (unset fields keep the model's value).
struct InferenceOverrides {
    std::optional<InferenceMode> mode;
    std::optional<ScoringRule> scoring;
    std::optional<BoxRegressionRule> boxRule;
    std::optional<double> scoreThreshold;
    std::optional<double> maskThreshold;
    std::optional<bool> oneLabelPerObject;

    InferenceSettings appliedTo(InferenceSettings base) const;
    bool operator==(const InferenceOverrides&) const = default;
};

// Enum <-> the names used in model.json, session files, export identities and the CLI
// ("zsi", "reference", "p_weighted", "mean_of_unseen", ...).
std::string toString(InferenceMode v);
std::string toString(ScoringRule v);
std::string toString(BoxRegressionRule v);
std::string toString(BackgroundChoice v);
// Throw Error(InvalidArgument, name, reason) listing the accepted names. The box rule and
// background also accept '-' for '_' ("p-weighted", as typed on a command line).
InferenceMode parseInferenceMode(const std::string& s);
ScoringRule parseScoringRule(const std::string& s);
BoxRegressionRule parseBoxRegressionRule(const std::string& s);
BackgroundChoice parseBackgroundChoice(const std::string& s);

// Every field, with the names above.
nlohmann::json toJson(const InferenceSettings& s);
// Starts from `base` and takes the fields the object has. Wrong types and unknown names throw
// Error(JsonSchema) "<what> <source>: field '<prefix>.<key>': reason" (args path = source,
// field, reason); validate() runs at the end.
struct JsonContext {
    std::string what = "inference settings";  // "model config", "session", ...
    std::string source;                       // the file, when there is one
    std::string prefix;                       // dotted path of the object ("inference")
};
InferenceSettings inferenceSettingsFromJson(const nlohmann::json& j, InferenceSettings base = {},
                                            const JsonContext& context = {});

}  // namespace zsi
