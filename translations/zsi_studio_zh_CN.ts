<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BackgroundReport</name>
    <message>
        <source>learned V_b (Sync-bg on)</source>
        <translation>学习得到的 V_b（Sync-bg 开）</translation>
    </message>
    <message>
        <source>initial (Sync-bg off)</source>
        <translation>初始向量（Sync-bg 关）</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>零向量</translation>
    </message>
    <message>
        <source>mean of the unseen classes</source>
        <translation>未见类别的均值</translation>
    </message>
    <message>
        <source>%1: n/a</source>
        <translation>%1：不可用</translation>
    </message>
    <message>
        <source>%1: %2 instances, mean score %3</source>
        <translation>%1：%2 个实例，平均得分 %3</translation>
    </message>
    <message>
        <source>No training log in %1.</source>
        <translation>%1 中没有训练日志。</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>File not found: %1</source>
        <translation>找不到文件：%1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not an image that can be read</source>
        <translation>%1 不是可读取的图像</translation>
    </message>
    <message>
        <source>%1 is too large: %2 x %3 pixels (the limit is %4 pixels)</source>
        <translation>%1 太大：%2 x %3 像素（上限为 %4 像素）</translation>
    </message>
    <message>
        <source>%1 is too small: %2 x %3 pixels</source>
        <translation>%1 太小：%2 x %3 像素</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2</source>
        <translation>%1 不是有效的 JSON：%2</translation>
    </message>
    <message>
        <source>%1: the field %2 is wrong: %3</source>
        <translation>%1：字段 %2 有误：%3</translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation>%1，第 %2 行：%3</translation>
    </message>
    <message>
        <source>Unknown words: %1 (not in %2)</source>
        <translation>未知词：%1（不在 %2 中）</translation>
    </message>
    <message>
        <source>%1 has dimension %2, but %3 is needed</source>
        <translation>%1 的维度为 %2，但需要 %3</translation>
    </message>
    <message>
        <source>Nothing to use: %1</source>
        <translation>没有可用的内容：%1</translation>
    </message>
    <message>
        <source>"%1" is already a class (%2)</source>
        <translation>“%1”已经是一个类别（%2）</translation>
    </message>
    <message>
        <source>"%1" cannot be a class name: %2</source>
        <translation>“%1”不能作为类别名称：%2</translation>
    </message>
    <message>
        <source>Invalid setting %1: %2</source>
        <translation>无效的设置 %1：%2</translation>
    </message>
    <message>
        <source>Invalid %1: %2</source>
        <translation>无效的 %1：%2</translation>
    </message>
    <message>
        <source>The model file %1 cannot be used: %2</source>
        <translation>无法使用模型文件 %1：%2</translation>
    </message>
</context>
<context>
    <name>ReviewCommand</name>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Mark pending</source>
        <translation>标记为待审核</translation>
    </message>
    <message>
        <source>Accept all above %1</source>
        <translation>接受高于 %1 的全部</translation>
    </message>
    <message>
        <source>Relabel as %1</source>
        <translation>更改类别为 %1</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>New instance</source>
        <translation>新建实例</translation>
    </message>
</context>
<context>
    <name>StudioOptions</name>
    <message>
        <source>ZSI Studio: zero-shot instance segmentation</source>
        <translation>ZSI Studio：零样本实例分割</translation>
    </message>
    <message>
        <source>Folder with the demo assets.</source>
        <translation>演示资源所在的文件夹。</translation>
    </message>
    <message>
        <source>Render the window to a PNG file.</source>
        <translation>将窗口渲染为 PNG 文件。</translation>
    </message>
    <message>
        <source>Quit after the screenshot or report.</source>
        <translation>截图或生成报告后退出。</translation>
    </message>
    <message>
        <source>Image to show first.</source>
        <translation>首先显示的图像。</translation>
    </message>
    <message>
        <source>Comma-separated unseen class names.</source>
        <translation>以逗号分隔的未见类别名称。</translation>
    </message>
    <message>
        <source>Select instance N.</source>
        <translation>选中第 N 个实例。</translation>
    </message>
    <message>
        <source>Write a report (background) and exit.</source>
        <translation>生成报告（background）后退出。</translation>
    </message>
    <message>
        <source>Output folder of the report.</source>
        <translation>报告的输出文件夹。</translation>
    </message>
    <message>
        <source>Model bundle folder.</source>
        <translation>模型包文件夹。</translation>
    </message>
    <message>
        <source>Images or folders to open.</source>
        <translation>要打开的图像或文件夹。</translation>
    </message>
</context>
<context>
    <name>zsi::BackgroundCosineChart</name>
    <message>
        <source>Load a model to see where its background vector sits.</source>
        <translation>加载模型以查看其背景向量的位置。</translation>
    </message>
    <message>
        <source>seen, initial</source>
        <translation>已见，初始</translation>
    </message>
    <message>
        <source>seen, learned V_b</source>
        <translation>已见，学习的 V_b</translation>
    </message>
    <message>
        <source>unseen, initial</source>
        <translation>未见，初始</translation>
    </message>
    <message>
        <source>unseen, learned V_b</source>
        <translation>未见，学习的 V_b</translation>
    </message>
    <message>
        <source>cosine to the background vector</source>
        <translation>与背景向量的余弦相似度</translation>
    </message>
    <message>
        <source> Nearest class: %1 (%2).</source>
        <translation> 最近的类别：%1（%2）。</translation>
    </message>
    <message>
        <source>|V_b| learned %1, initial %2; cos(learned, initial) %3.</source>
        <translation>|V_b| 学习 %1，初始 %2；cos(学习, 初始) %3。</translation>
    </message>
</context>
<context>
    <name>zsi::BackgroundDock</name>
    <message>
        <source>Learned V_b (Sync-bg on)</source>
        <translation>学习得到的 V_b（Sync-bg 开）</translation>
    </message>
    <message>
        <source>Initial vector (Sync-bg off)</source>
        <translation>初始向量（Sync-bg 关）</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>零向量</translation>
    </message>
    <message>
        <source>Mean of the unseen classes</source>
        <translation>未见类别的均值</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Where V_b sits</source>
        <translation>V_b 的位置</translation>
    </message>
    <message>
        <source>Class map</source>
        <translation>类别图</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练过程</translation>
    </message>
    <message>
        <source>This image</source>
        <translation>当前图像</translation>
    </message>
    <message>
        <source>What if failed: %1</source>
        <translation>假设分析失败：%1</translation>
    </message>
    <message>
        <source>Show p(background) of the BA-RPN</source>
        <translation>显示 BA-RPN 的 p(背景)</translation>
    </message>
    <message>
        <source>FPN level</source>
        <translation>FPN 层级</translation>
    </message>
    <message>
        <source>Heatmap opacity</source>
        <translation>热力图不透明度</translation>
    </message>
    <message>
        <source>Blue: the BA-RPN sees an object; red: it sees background (max over anchors).</source>
        <translation>蓝色：BA-RPN 认为是物体；红色：认为是背景（各锚框取最大值）。</translation>
    </message>
    <message>
        <source>What if the background column were...</source>
        <translation>如果背景列换成……</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation>平均得分</translation>
    </message>
    <message>
        <source>Show the model's result</source>
        <translation>显示模型的结果</translation>
    </message>
    <message>
        <source>This model bundle has no training log (train_log.jsonl).</source>
        <translation>此模型包没有训练日志（train_log.jsonl）。</translation>
    </message>
    <message>
        <source>The training log has no background vectors yet.</source>
        <translation>训练日志中还没有背景向量。</translation>
    </message>
    <message>
        <source>Cannot read the training log: %1</source>
        <translation>无法读取训练日志：%1</translation>
    </message>
    <message>
        <source>P%1</source>
        <translation>P%1</translation>
    </message>
    <message>
        <source>Type an unseen class (or choose seen classes only) to compare the settings.</source>
        <translation>输入一个未见类别（或选择仅已见类别）以比较各设置。</translation>
    </message>
    <message>
        <source>Re-scoring...</source>
        <translation>正在重新评分……</translation>
    </message>
    <message>
        <source>Re-scored from the cached features of %1.</source>
        <translation>已根据 %1 的缓存特征重新评分。</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不可用</translation>
    </message>
</context>
<context>
    <name>zsi::ClassMapPlot</name>
    <message>
        <source>Load a model to see its class map.</source>
        <translation>加载模型以查看其类别图。</translation>
    </message>
    <message>
        <source>seen classes</source>
        <translation>已见类别</translation>
    </message>
    <message>
        <source>unseen classes</source>
        <translation>未见类别</translation>
    </message>
    <message>
        <source>initial background</source>
        <translation>初始背景</translation>
    </message>
    <message>
        <source>learned V_b</source>
        <translation>学习的 V_b</translation>
    </message>
    <message>
        <source>V_b learned</source>
        <translation>V_b 学习</translation>
    </message>
    <message>
        <source>V_b initial</source>
        <translation>V_b 初始</translation>
    </message>
    <message>
        <source>PC 1 (%1% of the variance)</source>
        <translation>主成分 1（方差的 %1%）</translation>
    </message>
    <message>
        <source>PC 2 (%1%)</source>
        <translation>主成分 2（%1%）</translation>
    </message>
    <message>
        <source>PCA of the class vectors and both background vectors, each scaled to unit length.</source>
        <translation>类别向量与两个背景向量的 PCA，均缩放为单位长度。</translation>
    </message>
    <message>
        <source>PCA of the class vectors and both background vectors.</source>
        <translation>类别向量与两个背景向量的 PCA。</translation>
    </message>
    <message>
        <source>%1 (%2)
cos to learned V_b: %3
cos to initial: %4
norm: %5</source>
        <translation>%1（%2）
与学习的 V_b 的余弦：%3
与初始向量的余弦：%4
范数：%5</translation>
    </message>
    <message>
        <source>unseen</source>
        <translation>未见</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>已见</translation>
    </message>
    <message>
        <source>learned background vector V_b</source>
        <translation>学习得到的背景向量 V_b</translation>
    </message>
    <message>
        <source>initial background vector</source>
        <translation>初始背景向量</translation>
    </message>
</context>
<context>
    <name>zsi::ClassesPanel</name>
    <message>
        <source>Unseen classes (typed)</source>
        <translation>未见类别（输入）</translation>
    </message>
    <message>
        <source>Type a class name and press Enter (synonyms: couch | sofa)</source>
        <translation>输入类别名称并按回车（同义词：couch | sofa）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>ZSI: unseen classes only</source>
        <translation>ZSI：仅未见类别</translation>
    </message>
    <message>
        <source>GZSI: seen and unseen</source>
        <translation>GZSI：已见与未见类别</translation>
    </message>
    <message>
        <source>Seen classes only</source>
        <translation>仅已见类别</translation>
    </message>
    <message>
        <source>Reference (published code)</source>
        <translation>参考规则（公开代码）</translation>
    </message>
    <message>
        <source>Direct (paper text)</source>
        <translation>直接规则（论文正文）</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Score threshold</source>
        <translation>分数阈值</translation>
    </message>
    <message>
        <source>Mask threshold</source>
        <translation>掩码阈值</translation>
    </message>
    <message>
        <source>Seen classes (model)</source>
        <translation>已见类别（模型）</translation>
    </message>
    <message>
        <source>unknown words: %1</source>
        <translation>未知词：%1</translation>
    </message>
    <message>
        <source>built from subwords: %1</source>
        <translation>由子词构建：%1</translation>
    </message>
    <message>
        <source>nearest seen: %1</source>
        <translation>最近的已见类别：%1</translation>
    </message>
    <message>
        <source>No model is loaded yet.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>'%1' cannot be used: %2</source>
        <translation>无法使用“%1”：%2</translation>
    </message>
    <message>
        <source>'%1' cannot be added: %2</source>
        <translation>无法添加“%1”：%2</translation>
    </message>
    <message>
        <source>One label per object</source>
        <translation>每个目标一个标签</translation>
    </message>
    <message>
        <source>ZSI finds only the classes you type. GZSI finds the model's seen classes and yours together. Seen only ignores typed classes.</source>
        <translation>ZSI 只查找您输入的类别。GZSI 同时查找模型的已见类和您输入的类别。仅已见类则忽略输入的类别。</translation>
    </message>
    <message>
        <source>How detections are scored against class vectors. Reference: the published code (softmax over the seen classes, then projected onto yours); the published checkpoints need it. Direct: a softmax over your classes and the background (the paper's text); often better for new combinations of known words.</source>
        <translation>检测结果如何与类别向量计算得分。参考：已发布代码的做法（先在已见类上做 softmax，再投影到您的类别）；已发布的检查点需要它。直接：在您的类别和背景上做 softmax（论文正文的做法）；对已知词的新组合通常更好。</translation>
    </message>
    <message>
        <source>Detections scoring below this are not shown (0 to 1).</source>
        <translation>得分低于此值的检测不显示（0 到 1）。</translation>
    </message>
    <message>
        <source>A pixel belongs to the mask when its probability is above this (0 to 1; lower grows the masks).</source>
        <translation>像素概率高于此值时属于掩码（0 到 1；越低掩码越大）。</translation>
    </message>
    <message>
        <source>Keep the best class of each object and list the others as its alternatives (for annotation). Off: every class an object scores is its own detection, as in the paper and COCO evaluation.</source>
        <translation>为每个目标保留得分最高的类别，其余类别作为备选列出（用于标注）。关闭：目标得到的每个类别都是单独的检测，与论文和 COCO 评估一致。</translation>
    </message>
</context>
<context>
    <name>zsi::ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>COCO instances (JSON)</source>
        <translation>COCO 实例（JSON）</translation>
    </message>
    <message>
        <source>COCO results list (JSON, for evaluation)</source>
        <translation>COCO 结果列表（JSON，用于评估）</translation>
    </message>
    <message>
        <source>PNG instance and class maps (folder)</source>
        <translation>PNG 实例图和类别图（文件夹）</translation>
    </message>
    <message>
        <source>YOLO segmentation labels (folder)</source>
        <translation>YOLO 分割标签（文件夹）</translation>
    </message>
    <message>
        <source>Compressed RLE (exact)</source>
        <translation>压缩 RLE（精确）</translation>
    </message>
    <message>
        <source>Polygons (holes are filled)</source>
        <translation>多边形（孔洞会被填充）</translation>
    </message>
    <message>
        <source>Only accepted and hand-drawn instances</source>
        <translation>仅已接受和手绘的实例</translation>
    </message>
    <message>
        <source>Include rejected instances</source>
        <translation>包含已拒绝的实例</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Masks as:</source>
        <translation>掩码格式：</translation>
    </message>
    <message>
        <source>Write to:</source>
        <translation>写入：</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <source>Export file</source>
        <translation>导出文件</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>zsi::GettingStartedDialog</name>
    <message>
        <source>&lt;h2&gt;Getting started&lt;/h2&gt;&lt;p&gt;&lt;b&gt;What the model does.&lt;/b&gt; ZSI Studio segments objects by &lt;i&gt;name&lt;/i&gt;. The model never learned a fixed list of categories: it maps every object it finds into word-vector space, where the names of classes also live, and labels the object with the nearest names. So you can type a class it was never trained on and get its masks.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Seen and unseen classes.&lt;/b&gt; &lt;i&gt;Seen&lt;/i&gt; classes are the ones the model was trained with (listed under Seen classes). &lt;i&gt;Unseen&lt;/i&gt; classes are the names you type in the Classes panel: press Enter after each. A name whose words are not in the word vectors is refused and named; &lt;code&gt;couch | sofa&lt;/code&gt; averages synonyms.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Modes.&lt;/b&gt; &lt;i&gt;ZSI&lt;/i&gt; finds only your typed classes. &lt;i&gt;GZSI&lt;/i&gt; finds seen and typed classes together. &lt;i&gt;Seen only&lt;/i&gt; ignores typed classes. Changing classes, mode or thresholds re-scores the image in milliseconds: the expensive part is cached.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Reading the result.&lt;/b&gt; Masks are drawn in class colours (the colour squares in the Classes panel are the legend). Click a mask to select it: the Similarity panel shows how close it is to every class, and &lt;i&gt;Suggest Names&lt;/i&gt; lists the words the model itself would call it; double-click one to add it as a class.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Reviewing.&lt;/b&gt; With an instance selected: &lt;b&gt;A&lt;/b&gt; accepts, &lt;b&gt;R&lt;/b&gt; rejects, &lt;b&gt;L&lt;/b&gt; relabels, &lt;b&gt;Del&lt;/b&gt; deletes; &lt;b&gt;B&lt;/b&gt; / &lt;b&gt;E&lt;/b&gt; paint and erase its mask, &lt;b&gt;P&lt;/b&gt; and &lt;b&gt;X&lt;/b&gt; draw a new instance as a polygon or a box. Everything can be undone (Ctrl+Z). &lt;b&gt;Page Down&lt;/b&gt; goes to the next image, &lt;b&gt;Ctrl+U&lt;/b&gt; to the next unreviewed one, &lt;b&gt;Ctrl+R&lt;/b&gt; runs the model on every image of the folder.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Saving and exporting.&lt;/b&gt; Ctrl+S saves the review as a COCO file (autosaved every minute); File &amp;gt; Export writes COCO instances, COCO results, PNG maps or YOLO labels.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Models.&lt;/b&gt; The bundled demo model knows only what it was trained on (the banner says what). For real photos, File &amp;gt; Import Reference Checkpoint turns a published ZSI checkpoint into a model, or train one on your data with &lt;code&gt;zsi train&lt;/code&gt;.&lt;/p&gt;&lt;p&gt;The same jobs run without the app: &lt;code&gt;zsi infer&lt;/code&gt;, &lt;code&gt;zsi export&lt;/code&gt;, &lt;code&gt;zsi suggest&lt;/code&gt; (see &lt;code&gt;zsi --help&lt;/code&gt;).&lt;/p&gt;</source>
        <translation>&lt;h2&gt;入门&lt;/h2&gt;&lt;p&gt;&lt;b&gt;模型做什么。&lt;/b&gt;ZSI Studio 按&lt;i&gt;名称&lt;/i&gt;分割目标。模型从未学习固定的类别列表：它把找到的每个目标映射到词向量空间（类别名称也在这个空间中），并用最接近的名称标注目标。因此您可以输入模型从未训练过的类别，并得到它的掩码。&lt;/p&gt;&lt;p&gt;&lt;b&gt;已见类和未见类。&lt;/b&gt;&lt;i&gt;已见&lt;/i&gt;类是模型训练时使用的类别（列在“已见类”下）。&lt;i&gt;未见&lt;/i&gt;类是您在“类别”面板中输入的名称：每输入一个按一次回车。词向量中没有的词会被拒绝并指出；&lt;code&gt;couch | sofa&lt;/code&gt; 会对同义词取平均。&lt;/p&gt;&lt;p&gt;&lt;b&gt;模式。&lt;/b&gt;&lt;i&gt;ZSI&lt;/i&gt; 只查找您输入的类别。&lt;i&gt;GZSI&lt;/i&gt; 同时查找已见类和输入的类别。&lt;i&gt;仅已见类&lt;/i&gt;忽略输入的类别。更改类别、模式或阈值会在几毫秒内重新打分：耗时的部分已缓存。&lt;/p&gt;&lt;p&gt;&lt;b&gt;解读结果。&lt;/b&gt;掩码按类别颜色绘制（“类别”面板中的色块即图例）。点击掩码将其选中：“相似度”面板显示它与每个类别的接近程度，&lt;i&gt;建议名称&lt;/i&gt;列出模型自己会给它的名称；双击即可添加为类别。&lt;/p&gt;&lt;p&gt;&lt;b&gt;审核。&lt;/b&gt;选中实例后：&lt;b&gt;A&lt;/b&gt; 接受，&lt;b&gt;R&lt;/b&gt; 拒绝，&lt;b&gt;L&lt;/b&gt; 重新标注，&lt;b&gt;Del&lt;/b&gt; 删除；&lt;b&gt;B&lt;/b&gt; / &lt;b&gt;E&lt;/b&gt; 绘制和擦除掩码，&lt;b&gt;P&lt;/b&gt; 和 &lt;b&gt;X&lt;/b&gt; 以多边形或矩形绘制新实例。所有操作都可撤销（Ctrl+Z）。&lt;b&gt;Page Down&lt;/b&gt; 转到下一张图像，&lt;b&gt;Ctrl+U&lt;/b&gt; 转到下一张未审核图像，&lt;b&gt;Ctrl+R&lt;/b&gt; 对文件夹中的每张图像运行模型。&lt;/p&gt;&lt;p&gt;&lt;b&gt;保存与导出。&lt;/b&gt;Ctrl+S 将审核保存为 COCO 文件（每分钟自动保存）；文件 &amp;gt; 导出可写出 COCO 实例、COCO 结果、PNG 图或 YOLO 标签。&lt;/p&gt;&lt;p&gt;&lt;b&gt;模型。&lt;/b&gt;内置演示模型只认识它训练过的内容（横幅会说明）。处理真实照片时，文件 &amp;gt; 导入参考检查点可将已发布的 ZSI 检查点转换为模型，或用 &lt;code&gt;zsi train&lt;/code&gt; 在您的数据上训练。&lt;/p&gt;&lt;p&gt;同样的工作也可以不用图形界面完成：&lt;code&gt;zsi infer&lt;/code&gt;、&lt;code&gt;zsi export&lt;/code&gt;、&lt;code&gt;zsi suggest&lt;/code&gt;（见 &lt;code&gt;zsi --help&lt;/code&gt;）。&lt;/p&gt;
</translation>
    </message>
    <message>
        <source>Getting Started</source>
        <translation>入门</translation>
    </message>
</context>
<context>
    <name>zsi::ImageList</name>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>已预测</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>已审核</translation>
    </message>
</context>
<context>
    <name>zsi::ImportReferenceDialog</name>
    <message>
        <source>Import Reference Checkpoint</source>
        <translation>导入参考检查点</translation>
    </message>
    <message>
        <source>Turns a published ZSI checkpoint (MMDetection v1, ResNet-101, COCO 48/17 or 65/15) into a model bundle. Besides the .pth file it needs the class vectors the model was trained with and, for the box head, the VOC matrix; both come with the reference code.</source>
        <translation>将已发布的 ZSI 检查点（MMDetection v1、ResNet-101、COCO 48/17 或 65/15）转换为模型包。除 .pth 文件外，还需要训练该模型时使用的类别向量，以及框头所用的 VOC 矩阵；两者都随参考代码提供。</translation>
    </message>
    <message>
        <source>Checkpoint:</source>
        <translation>检查点：</translation>
    </message>
    <message>
        <source>The .pth file (torch &lt; 1.6 legacy or zip format)</source>
        <translation>.pth 文件（torch &lt; 1.6 旧格式或 zip 格式）</translation>
    </message>
    <message>
        <source>Checkpoints (*.pth *.pt);;All files (*)</source>
        <translation>检查点 (*.pth *.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>COCO 48/17 (48 seen, 17 unseen)</source>
        <translation>COCO 48/17（48 个已见类，17 个未见类）</translation>
    </message>
    <message>
        <source>COCO 65/15 (65 seen, 15 unseen)</source>
        <translation>COCO 65/15（65 个已见类，15 个未见类）</translation>
    </message>
    <message>
        <source>The split the checkpoint was trained on</source>
        <translation>该检查点训练时使用的划分</translation>
    </message>
    <message>
        <source>Split:</source>
        <translation>划分：</translation>
    </message>
    <message>
        <source>Class vectors:</source>
        <translation>类别向量：</translation>
    </message>
    <message>
        <source>word_w2v_withbg_48_17.txt or _65_15.txt (300 x classes)</source>
        <translation>word_w2v_withbg_48_17.txt 或 _65_15.txt（300 × 类别数）</translation>
    </message>
    <message>
        <source>Text (*.txt);;All files (*)</source>
        <translation>文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Class names (optional):</source>
        <translation>类别名称（可选）：</translation>
    </message>
    <message>
        <source>One name per vector column; default: the split's COCO names</source>
        <translation>每个向量列一个名称；默认：该划分的 COCO 类名</translation>
    </message>
    <message>
        <source>VOC matrix:</source>
        <translation>VOC 矩阵：</translation>
    </message>
    <message>
        <source>vocabulary_w2v.txt (300 x 4717), from the PL-ZSD code</source>
        <translation>vocabulary_w2v.txt（300 × 4717），来自 PL-ZSD 代码</translation>
    </message>
    <message>
        <source>Word vectors (optional):</source>
        <translation>词向量（可选）：</translation>
    </message>
    <message>
        <source>GoogleNews-vectors-negative300.bin: needed to type names other than the split's classes</source>
        <translation>GoogleNews-vectors-negative300.bin：输入该划分以外的类名时需要</translation>
    </message>
    <message>
        <source>Word vectors (*.bin *.vec *.txt);;All files (*)</source>
        <translation>词向量 (*.bin *.vec *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save bundle as:</source>
        <translation>模型包保存为：</translation>
    </message>
    <message>
        <source>A new folder for the model bundle</source>
        <translation>用于存放模型包的新文件夹</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Reading the checkpoint...</source>
        <translation>正在读取检查点...</translation>
    </message>
    <message>
        <source>Imported %1 tensors (%2 format) in %3 s: %4 seen and %5 unseen classes.</source>
        <translation>已导入 %1 个张量（%2 格式），用时 %3 秒：%4 个已见类，%5 个未见类。</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Reading the weights...</source>
        <translation>正在读取权重...</translation>
    </message>
    <message>
        <source>Reading the class vectors and the VOC matrix...</source>
        <translation>正在读取类别向量和 VOC 矩阵...</translation>
    </message>
    <message>
        <source>Writing the bundle...</source>
        <translation>正在写入模型包...</translation>
    </message>
    <message>
        <source>The import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation>正在取消...</translation>
    </message>
    <message>
        <source>Other architecture (model config file)</source>
        <translation>其他架构（模型配置文件）</translation>
    </message>
    <message>
        <source>Model config:</source>
        <translation>模型配置：</translation>
    </message>
    <message>
        <source>A model config JSON describing the checkpoint's architecture</source>
        <translation>描述该检查点架构的模型配置 JSON</translation>
    </message>
    <message>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON (*.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>zsi::InferenceWorker</name>
    <message>
        <source>Loading model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Loading word vectors</source>
        <translation>正在加载词向量</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Segmenting %1</source>
        <translation>正在分割 %1</translation>
    </message>
    <message>
        <source>Segmenting all images</source>
        <translation>正在分割全部图像</translation>
    </message>
</context>
<context>
    <name>zsi::InstancesPanel</name>
    <message>
        <source>Class:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Min. score:</source>
        <translation>最低分数：</translation>
    </message>
    <message>
        <source>Hide model instances scoring below this value</source>
        <translation>隐藏分数低于此值的模型实例</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Accept the selected instances</source>
        <translation>接受所选实例</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Reject the selected instances (kept in the file as rejected)</source>
        <translation>拒绝所选实例（在文件中保留为已拒绝）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove the selected instances from the document</source>
        <translation>从文档中移除所选实例</translation>
    </message>
    <message>
        <source>Relabel</source>
        <translation>更改类别</translation>
    </message>
    <message>
        <source>Give the selected instances the chosen class</source>
        <translation>将所选实例设为选定的类别</translation>
    </message>
    <message>
        <source>Accept all above</source>
        <translation>接受高于阈值的全部</translation>
    </message>
    <message>
        <source>Accept every pending instance of this image scoring at least the threshold</source>
        <translation>接受此图像中分数不低于阈值的所有待审核实例</translation>
    </message>
    <message>
        <source>Class for relabelling</source>
        <translation>更改后的类别</translation>
    </message>
    <message>
        <source>human</source>
        <translation>人工</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
</context>
<context>
    <name>zsi::MainWindow</name>
    <message>
        <source>ZSI Studio</source>
        <translation>ZSI Studio</translation>
    </message>
    <message>
        <source>LibTorch %1 | %2 threads | %3</source>
        <translation>LibTorch %1 | %2 个线程 | %3</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Image...</source>
        <translation>打开图像(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ZSI Studio</source>
        <translation>关于 ZSI Studio(&amp;A)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Opened %1 (%2 x %3)</source>
        <translation>已打开 %1（%2 x %3）</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</translation>
    </message>
    <message>
        <source>About ZSI Studio</source>
        <translation>关于 ZSI Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ZSI Studio %1&lt;/h3&gt;&lt;p&gt;Zero-shot instance segmentation (Zheng et al., CVPR 2021): type the names of classes the model never saw and get their masks.&lt;/p&gt;&lt;p&gt;LibTorch %2, %3 threads.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZSI Studio %1&lt;/h3&gt;&lt;p&gt;零样本实例分割（Zheng 等，CVPR 2021）：输入模型从未见过的类别名称，即可得到它们的掩码。&lt;/p&gt;&lt;p&gt;LibTorch %2，%3 个线程。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <source>Cannot segment %1: %2</source>
        <translation>无法分割 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2%</source>
        <translation>%1：%2%</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>Open &amp;Folder...</source>
        <translation>打开文件夹(&amp;F)...</translation>
    </message>
    <message>
        <source>Open &amp;Model...</source>
        <translation>打开模型(&amp;M)...</translation>
    </message>
    <message>
        <source>&amp;Next Image</source>
        <translation>下一张图像(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Image</source>
        <translation>上一张图像(&amp;P)</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Mask opacity </source>
        <translation>掩码不透明度 </translation>
    </message>
    <message>
        <source>Loading model %1...</source>
        <translation>正在加载模型 %1...</translation>
    </message>
    <message>
        <source>Model %1: %2 seen classes, D = %3, %4</source>
        <translation>模型 %1：%2 个已见类别，D = %3，%4</translation>
    </message>
    <message>
        <source>Type the name of a class to segment it (or choose seen classes only).</source>
        <translation>输入类别名称以分割它（或选择仅已见类别）。</translation>
    </message>
    <message>
        <source>%1 instances | re-scored in %2 ms (cached features)</source>
        <translation>%1 个实例 | 重新评分用时 %2 毫秒（已缓存特征）</translation>
    </message>
    <message>
        <source>%1 instances | %2 ms (features %3 ms)</source>
        <translation>%1 个实例 | %2 毫秒（特征 %3 毫秒）</translation>
    </message>
    <message>
        <source>Segmented %1</source>
        <translation>已分割 %1</translation>
    </message>
    <message>
        <source>reference rule</source>
        <translation>参考规则</translation>
    </message>
    <message>
        <source>direct rule</source>
        <translation>直接规则</translation>
    </message>
    <message>
        <source>Instance %1: %2 (%3)</source>
        <translation>实例 %1：%2（%3）</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Open Model Bundle</source>
        <translation>打开模型包</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>Recent &amp;Folders</source>
        <translation>最近的文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Preferences...</source>
        <translation>首选项(&amp;P)...</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run &amp;All Images</source>
        <translation>运行全部图像(&amp;A)</translation>
    </message>
    <message>
        <source>Next &amp;Unreviewed Image</source>
        <translation>下一张未审核图像(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Segmenting %1 images...</source>
        <translation>正在分割 %1 张图像...</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Run All</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <source>Segmented all %1 images</source>
        <translation>已分割全部 %1 张图像</translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation>语言将在下次启动时更改。</translation>
    </message>
    <message>
        <source>Open &amp;Annotations...</source>
        <translation>打开标注(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Save Annotations</source>
        <translation>保存标注(&amp;S)</translation>
    </message>
    <message>
        <source>Save Annotations &amp;As...</source>
        <translation>标注另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Export...</source>
        <translation>导出(&amp;E)...</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Brush</source>
        <translation>画笔(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>橡皮擦(&amp;E)</translation>
    </message>
    <message>
        <source>New Instance by &amp;Polygon</source>
        <translation>用多边形新建实例(&amp;P)</translation>
    </message>
    <message>
        <source>New Instance by Bo&amp;x</source>
        <translation>用矩形框新建实例(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Select (No Tool)</source>
        <translation>选择（无工具）(&amp;S)</translation>
    </message>
    <message>
        <source>Smaller Brush</source>
        <translation>缩小画笔</translation>
    </message>
    <message>
        <source>Larger Brush</source>
        <translation>加大画笔</translation>
    </message>
    <message>
        <source>Select an instance first: the brush and eraser edit its mask.</source>
        <translation>请先选择一个实例：画笔和橡皮擦编辑它的掩码。</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>%1%2%3 - ZSI Studio</source>
        <translation>%1%2%3 - ZSI Studio</translation>
    </message>
    <message>
        <source>Save Annotations</source>
        <translation>保存标注</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Recover Annotations</source>
        <translation>恢复标注</translation>
    </message>
    <message>
        <source>%1 has unsaved changes from a session that did not end normally. Recover them?</source>
        <translation>%1 有一次未正常结束的会话留下的未保存更改。要恢复吗？</translation>
    </message>
    <message>
        <source>Opened %1: %2 images, %3 annotations</source>
        <translation>已打开 %1：%2 张图像，%3 个标注</translation>
    </message>
    <message>
        <source>COCO JSON (*.json)</source>
        <translation>COCO JSON (*.json)</translation>
    </message>
    <message>
        <source>Open Annotations</source>
        <translation>打开标注</translation>
    </message>
    <message>
        <source>Exported %1 instances of %2 images to %3</source>
        <translation>已将 %2 张图像的 %1 个实例导出到 %3</translation>
    </message>
    <message>
        <source> (%1 masks lost holes as polygons)</source>
        <translation>（%1 个掩码在转为多边形时丢失了孔洞）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cannot export: %1</source>
        <translation>无法导出：%1</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>An untitled session did not end normally. Recover its annotations?</source>
        <translation>一个未命名的会话未正常结束。要恢复其标注吗？</translation>
    </message>
    <message>
        <source>Recovered annotations saved as %1</source>
        <translation>恢复的标注已保存为 %1</translation>
    </message>
    <message>
        <source>Cannot recover: %1</source>
        <translation>无法恢复：%1</translation>
    </message>
    <message>
        <source>Unsaved Annotations</source>
        <translation>未保存的标注</translation>
    </message>
    <message>
        <source>The annotations have unsaved changes. Save them?</source>
        <translation>标注有未保存的更改。要保存吗？</translation>
    </message>
    <message>
        <source>&amp;Import Reference Checkpoint...</source>
        <translation>导入参考检查点(&amp;I)...</translation>
    </message>
    <message>
        <source>Added the class "%1"</source>
        <translation>已添加类别“%1”</translation>
    </message>
    <message>
        <source>Show Only the Selected &amp;Class</source>
        <translation>只显示所选类别(&amp;C)</translation>
    </message>
    <message>
        <source>Hide every instance whose class differs from the selected one</source>
        <translation>隐藏与所选实例类别不同的所有实例</translation>
    </message>
    <message>
        <source>Select an instance first.</source>
        <translation>请先选择一个实例。</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>入门(&amp;G)</translation>
    </message>
    <message>
        <source>Also detected as: %1</source>
        <translation>也被检测为：%1</translation>
    </message>
    <message>
        <source>the classes it was trained on</source>
        <translation>训练时使用的类别</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model.&lt;/b&gt; It knows only %1. On other images it can only guess with those. For real photos, import a published checkpoint or train on your data.</source>
        <translation>&lt;b&gt;演示模型。&lt;/b&gt;它只认识 %1。在其他图像上它只能用这些类别猜测。处理真实照片请导入已发布的检查点，或用您的数据训练。</translation>
    </message>
    <message>
        <source>instance %1 (%2)</source>
        <translation>实例 %1（%2）</translation>
    </message>
    <message>
        <source>Segmented %1 of %2 images</source>
        <translation>已分割 %1/%2 张图像</translation>
    </message>
    <message>
        <source>Segmented %1 of %2 images, about %3:%4 left</source>
        <translation>已分割 %1/%2 张图像，约剩 %3:%4</translation>
    </message>
    <message>
        <source>Run all stopped: %1 images segmented; Run All again continues where it stopped</source>
        <translation>全部运行已停止：已分割 %1 张图像；再次“全部运行”会从停止处继续</translation>
    </message>
    <message>
        <source> (%1 from the interrupted run)</source>
        <translation>（其中 %1 张来自中断的运行）</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>已有一个导出正在进行。</translation>
    </message>
    <message>
        <source>Exporting %1 images...</source>
        <translation>正在导出 %1 张图像...</translation>
    </message>
    <message>
        <source>Exported %1 of %2 images, about %3:%4 left</source>
        <translation>已导出 %1/%2 张图像，约剩 %3:%4</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>Provisional: %1 instances at reduced resolution (%2 ms) | full pass running...</source>
        <translation>临时结果：降低分辨率下 %1 个实例（%2 毫秒）| 完整推理进行中...</translation>
    </message>
</context>
<context>
    <name>zsi::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>the demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <source>Model bundle:</source>
        <translation>模型包：</translation>
    </message>
    <message>
        <source>the word vectors the model names</source>
        <translation>模型指定的词向量</translation>
    </message>
    <message>
        <source>Word vectors:</source>
        <translation>词向量：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>automatic (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>CPU 线程数：</translation>
    </message>
    <message>
        <source>model default</source>
        <translation>模型默认值</translation>
    </message>
    <message>
        <source>Score threshold:</source>
        <translation>得分阈值：</translation>
    </message>
    <message>
        <source>Mask threshold:</source>
        <translation>掩码阈值：</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Language (after a restart):</source>
        <translation>语言（重启后生效）：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Autosave every:</source>
        <translation>自动保存间隔：</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Model bundle folder</source>
        <translation>模型包文件夹</translation>
    </message>
    <message>
        <source>Word vectors</source>
        <translation>词向量</translation>
    </message>
    <message>
        <source>Word vectors (*.bin *.ftz *.vec *.txt)</source>
        <translation>词向量 (*.bin *.ftz *.vec *.txt)</translation>
    </message>
    <message>
        <source>Show a quick first result</source>
        <translation>先显示快速的初步结果</translation>
    </message>
    <message>
        <source>Masks from a reduced-resolution pass appear while a new image is segmented. They are replaced by the full result and never saved; the full result comes a little later.</source>
        <translation>分割新图像时，先显示降低分辨率推理得到的掩码。它们会被完整结果替换，且从不保存；完整结果会稍晚一些出现。</translation>
    </message>
    <message>
        <source>New images:</source>
        <translation>新图像：</translation>
    </message>
</context>
<context>
    <name>zsi::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
</context>
<context>
    <name>zsi::SimilarityChart</name>
    <message>
        <source>Select an instance to see its similarity to every class.</source>
        <translation>选中一个实例以查看它与每个类别的相似度。</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>已见</translation>
    </message>
    <message>
        <source>unseen</source>
        <translation>未见</translation>
    </message>
    <message>
        <source>background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>similarity (%1)</source>
        <translation>相似度（%1）</translation>
    </message>
    <message>
        <source>List every class in a scrollable chart instead of the strongest that fit</source>
        <translation>在可滚动的图表中列出所有类别，而不是只显示能容纳的最强类别</translation>
    </message>
    <message>
        <source>Show all %1 classes</source>
        <translation>显示全部 %1 个类别</translation>
    </message>
</context>
<context>
    <name>zsi::SuggestNamesPanel</name>
    <message>
        <source>Suggest Names</source>
        <translation>建议名称</translation>
    </message>
    <message>
        <source>Rank every word of the word vectors by the score the model would give the selected object if that word were a class: the model's own guesses of its name</source>
        <translation>按模型在该词作为类别时会给所选目标的得分，对词向量中的每个词排序：即模型自己对其名称的猜测</translation>
    </message>
    <message>
        <source>Add as Class</source>
        <translation>添加为类别</translation>
    </message>
    <message>
        <source>Type the chosen word as an unseen class</source>
        <translation>将所选词作为未见类输入</translation>
    </message>
    <message>
        <source>Select an instance, then Suggest Names.</source>
        <translation>选择一个实例，然后点击“建议名称”。</translation>
    </message>
    <message>
        <source>Ranking the words...</source>
        <translation>正在为词语排序...</translation>
    </message>
    <message>
        <source>Double-click to add "%1" as a class</source>
        <translation>双击将“%1”添加为类别</translation>
    </message>
    <message>
        <source>Names the model would give %1 (%2 ms):</source>
        <translation>模型会给 %1 的名称（%2 毫秒）：</translation>
    </message>
</context>
<context>
    <name>zsi::TrainingCurvesPlot</name>
    <message>
        <source>No training log with background vectors for this model.</source>
        <translation>此模型没有包含背景向量的训练日志。</translation>
    </message>
    <message>
        <source>cos to initial</source>
        <translation>与初始向量的余弦</translation>
    </message>
    <message>
        <source>cos to nearest class</source>
        <translation>与最近类别的余弦</translation>
    </message>
    <message>
        <source>norm |V_b| (right axis)</source>
        <translation>范数 |V_b|（右轴）</translation>
    </message>
    <message>
        <source>iteration</source>
        <translation>迭代</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>范数</translation>
    </message>
    <message>
        <source>%1 samples of V_b; at iteration %2: cos to initial %3, norm %4, nearest class %5 (%6).</source>
        <translation>V_b 的 %1 个样本；第 %2 次迭代：与初始向量的余弦 %3，范数 %4，最近类别 %5（%6）。</translation>
    </message>
</context>
</TS>