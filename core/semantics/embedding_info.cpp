#include "semantics/embedding_info.h"

#include "semantics/embedding.h"
#include "util/error.h"
#include "util/hash.h"

#include <nlohmann/json.hpp>

namespace zsi::semantics {

EmbeddingInfo describeEmbedding(const EmbeddingModel& model, Normalisation normalisation,
                                bool withSha256) {
    EmbeddingInfo info;
    info.kind = model.kind();
    info.dim = model.dim();
    info.normalisation = normalisation;
    info.fileName = model.path().filename().string();
    if (withSha256) info.sha256 = sha256File(model.path());
    return info;
}

void to_json(nlohmann::json& j, const EmbeddingInfo& info) {
    j = nlohmann::json{{"kind", info.kind},
                       {"dim", info.dim},
                       {"normalisation", info.normalisation.toString()},
                       {"file", info.fileName},
                       {"sha256", info.sha256}};
}

void from_json(const nlohmann::json& j, EmbeddingInfo& info) {
    auto field = [&](const char* name, nlohmann::json::value_t type) -> const nlohmann::json& {
        if (!j.is_object() || !j.contains(name))
            throw Error(
                ErrorCode::JsonSchema, std::string("embedding: missing field \"") + name + "\"",
                {{"path", ""}, {"field", std::string("embedding.") + name}, {"reason", "missing"}});
        const auto& v = j.at(name);
        const bool ok = type == nlohmann::json::value_t::number_integer ? v.is_number_integer()
                                                                        : v.type() == type;
        if (!ok)
            throw Error(ErrorCode::JsonSchema,
                        std::string("embedding: field \"") + name + "\" has the wrong type",
                        {{"path", ""},
                         {"field", std::string("embedding.") + name},
                         {"reason", "wrong type"}});
        return v;
    };
    using T = nlohmann::json::value_t;
    info.kind = field("kind", T::string).get<std::string>();
    info.dim = field("dim", T::number_integer).get<int>();
    info.normalisation = Normalisation::parse(field("normalisation", T::string).get<std::string>());
    info.fileName = field("file", T::string).get<std::string>();
    info.sha256 =
        j.contains("sha256") && j["sha256"].is_string() ? j["sha256"].get<std::string>() : "";
    if (info.dim <= 0)
        throw Error(ErrorCode::JsonSchema, "embedding: dim must be positive",
                    {{"path", ""}, {"field", "embedding.dim"}, {"reason", "not positive"}});
}

std::string toJsonString(const EmbeddingInfo& info) {
    return nlohmann::json(info).dump(2);
}

EmbeddingInfo embeddingInfoFromJsonString(const std::string& text) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::JsonMalformed, std::string("embedding info: ") + e.what(),
                    {{"path", ""}, {"reason", e.what()}});
    }
    return j.get<EmbeddingInfo>();
}

std::optional<std::string> checkCompatible(const EmbeddingInfo& trained,
                                           const EmbeddingInfo& loaded) {
    if (trained.dim != loaded.dim)
        throw Error(ErrorCode::DimensionMismatch,
                    "The model was trained with " + std::to_string(trained.dim) +
                        "-d word vectors (" + trained.fileName + "); " + loaded.fileName + " has " +
                        std::to_string(loaded.dim) + " dimensions",
                    {{"what", "word vectors"},
                     {"expected", std::to_string(trained.dim)},
                     {"found", std::to_string(loaded.dim)}});
    const bool sameFile = !trained.sha256.empty() && !loaded.sha256.empty()
                              ? trained.sha256 == loaded.sha256
                              : trained.fileName == loaded.fileName;
    if (sameFile) return std::nullopt;
    return "The model was trained with " + trained.fileName + " (" + trained.kind + ", " +
           std::to_string(trained.dim) + "-d); " + loaded.fileName +
           " has the same dimension but is another file: class vectors from a different "
           "embedding space give poor or meaningless scores.";
}

}  // namespace zsi::semantics
